"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { beginStepUpAction, completeStepUpAction } from "./actions";
import { BRAND } from "@/lib/brand";

const noSubscription = () => () => {};

type Phase = { kind: "idle" } | { kind: "waiting" } | { kind: "verifying" } | { kind: "error"; message: string; locked?: boolean; warn?: boolean };

/** Human messages for what the browser reports (WebAuthn errors are DOMExceptions). */
function browserMessage(err: unknown): string {
  const name = err instanceof Error ? err.name : "";
  if (name === "NotAllowedError") return `The passkey prompt was closed or timed out, or this device has no passkey for ${BRAND.name}. Try again, or use another device.`;
  if (name === "AbortError") return "Cancelled. Nothing was sent or changed.";
  if (name === "SecurityError") return `This page's address doesn't match ${BRAND.name}'s, so your passkey can't be used here.`;
  return "Your passkey couldn't be used. Try again.";
}

/** Seconds left until `expiresAtMs`, ticking; null until mounted (the server can't know the client's clock). */
function useSecondsLeft(expiresAtMs: number): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, []);
  return now === null ? null : Math.max(0, Math.ceil((expiresAtMs - now) / 1000));
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

export function StepUpCeremony({
  intentId,
  expiresAtMs,
  backTo,
  passkeyNames,
  after,
  initialLockout,
}: {
  intentId: string;
  expiresAtMs: number;
  backTo: string;
  passkeyNames: string[];
  after: string;
  initialLockout: string | null;
}) {
  const router = useRouter();
  // Known only in the browser; the server render assumes support, so there is no flash for most users.
  const supported = useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => true);
  const [phase, setPhase] = useState<Phase>(initialLockout ? { kind: "error", message: initialLockout, locked: true } : { kind: "idle" });
  const secondsLeft = useSecondsLeft(expiresAtMs);
  const expired = secondsLeft === 0 && phase.kind !== "verifying";

  async function confirm() {
    setPhase({ kind: "waiting" });
    const begin = await beginStepUpAction(intentId);
    if (!begin.ok) return setPhase({ kind: "error", message: begin.message, locked: begin.code === "locked" });
    let response;
    try {
      response = await startAuthentication({ optionsJSON: begin.options });
    } catch (err) {
      return setPhase({ kind: "error", message: browserMessage(err) });
    }
    setPhase({ kind: "verifying" });
    const done = await completeStepUpAction(intentId, response);
    if (done.ok) return router.replace(done.redirectTo);
    setPhase({ kind: "error", message: done.message, locked: done.code === "locked", warn: done.warn });
  }

  if (!supported) {
    return (
      <p role="alert" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
        This browser can&apos;t use passkeys. Open {BRAND.name} in a current version of Chrome, Safari, Edge or Firefox, or on your phone, to confirm.
      </p>
    );
  }
  const busy = phase.kind === "waiting" || phase.kind === "verifying";
  const locked = phase.kind === "error" && phase.locked;
  if (expired) {
    return (
      <div role="alert" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="step-up-expired">
        This confirmation expired: for your safety it lasts only a few minutes. Nothing was sent or changed.
        <Link href={backTo} className="mt-2 block font-medium underline">
          Start again
        </Link>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Use {passkeyNames.length === 1 ? <>your passkey &quot;{passkeyNames[0]}&quot;</> : <>one of your passkeys ({passkeyNames.join(", ")})</>}.{" "}
        {after}
      </p>
      {phase.kind === "error" && (
        <p role="alert" data-testid="step-up-error" className={`rounded-lg border px-3 py-2 text-sm font-medium ${phase.warn || locked ? "border-red-300 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900"}`}>
          {phase.message}
        </p>
      )}
      <button
        type="button"
        onClick={confirm}
        disabled={busy || locked}
        className="w-full rounded-lg bg-accent-600 px-4 py-2.5 font-medium text-white hover:bg-accent-700 disabled:cursor-not-allowed disabled:opacity-70"
      >
        {phase.kind === "waiting" ? "Waiting for your passkey…" : phase.kind === "verifying" ? "Confirming…" : "Confirm with passkey"}
      </button>
      <p className="text-center text-xs text-slate-500" aria-live="off" data-testid="step-up-countdown">
        {secondsLeft === null ? "\u00a0" : `Expires in ${mmss(secondsLeft)}`}
      </p>
    </div>
  );
}
