"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import { usePathname } from "next/navigation";
import { FLASH_COOKIE, flashMessage } from "@/lib/flash";
import type { ActionState } from "@/app/_lib/action-state";

type Toast = { id: number; message: string };

/** A tiny store, so any client component can raise a toast without a context provider. */
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
const subscribe = (l: () => void) => (listeners.add(l), () => listeners.delete(l));
const noToasts: Toast[] = [];

export function showToast(message: string) {
  toasts = [...toasts.filter((t) => t.message !== message), { id: nextId++, message }].slice(-3);
  emit();
}

function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** A success toast each time a useActionState form reports success (each submission is a new state object). */
export function useSuccessToast(state: ActionState) {
  useEffect(() => {
    if (state.status === "success") showToast(state.message);
  }, [state]);
}

function readFlash(messages: Readonly<Record<string, string>>): string | null {
  const raw = document.cookie.split("; ").find((c) => c.startsWith(`${FLASH_COOKIE}=`));
  if (!raw) return null;
  document.cookie = `${FLASH_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
  return flashMessage(decodeURIComponent(raw.slice(FLASH_COOKIE.length + 1)), messages);
}

const SHOWN_MS = 6_000;

function ToastItem({ toast }: { toast: Toast }) {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => dismiss(toast.id), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [paused, toast.id]);
  return (
    <li
      className="pointer-events-auto flex items-start gap-3 rounded-xl border border-emerald-200 bg-white px-4 py-3 text-sm shadow-lg"
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      data-testid="toast"
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 h-4 w-4 flex-none fill-emerald-600">
        <path d="M10 1a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm4.2 6.7-5 5a1 1 0 0 1-1.4 0l-2-2a1 1 0 1 1 1.4-1.4L8.5 10.6l4.3-4.3a1 1 0 1 1 1.4 1.4Z" />
      </svg>
      <p className="flex-1 font-medium text-slate-900">{toast.message}</p>
      <button
        type="button"
        onClick={() => dismiss(toast.id)}
        className="rounded text-slate-500 hover:text-slate-900 focus:ring-2 focus:ring-accent-600 focus:outline-none"
        aria-label="Dismiss"
      >
        ✕
      </button>
    </li>
  );
}

/**
 * The toast region, once, in the root layout. A polite live region that is always in the page, so
 * screen readers announce what's added to it; toasts stay while hovered or focused (WCAG 2.2.1), and
 * the same confirmation is also on the page itself, so nothing is lost when one fades. `flash` is the
 * cookie as the server saw it: it changes whenever an action sets one, and so does the path after a
 * redirect; either is the cue to look at the cookie. `messages` are the texts its keys may name.
 */
export function Toaster({ flash, messages }: { flash?: string; messages: Readonly<Record<string, string>> }) {
  const list = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => noToasts,
  );
  const pathname = usePathname();
  useEffect(() => {
    const message = readFlash(messages);
    if (message) showToast(message);
  }, [pathname, flash, messages]);
  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex justify-center p-4 sm:justify-end"
    >
      <ul className="flex w-full max-w-sm flex-col gap-2">
        {list.map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </ul>
    </div>
  );
}
