"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { browserSupportsWebAuthn, startAuthentication, WebAuthnAbortService } from "@simplewebauthn/browser";
import type { BeginResult, CompleteResult } from "@/lib/assurance/step-up";
import { beginStepUpAction, completeStepUpAction } from "./actions";
import { BRAND } from "@/lib/brand";
import { ceremonyMessage, classifyCeremonyError } from "@/lib/webauthn/ceremony-errors";
import { runSpc, spcAvailable, SpcEnded } from "@/app/_lib/spc-browser";

const noSubscription = () => () => {};

type Phase =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "waiting" }
  /** The browser's own payment dialog is open (Secure Payment Confirmation). */
  | { kind: "dialog" }
  | { kind: "verifying" }
  | { kind: "error"; message: string; locked?: boolean; warn?: boolean; info?: boolean };

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
  spc = false,
  actions = { begin: beginStepUpAction, complete: completeStepUpAction },
}: {
  intentId: string;
  expiresAtMs: number;
  backTo: string;
  passkeyNames: string[];
  after: string;
  initialLockout: string | null;
  /**
   * A payment one of the customer's passkeys can sign in the browser's own dialog (Secure Payment
   * Confirmation): used when the browser has it, else WebAuthn, with nothing lost.
   */
  spc?: boolean;
  /** The server half; the API's authorize page passes its own (same ceremony, a code at the end). */
  actions?: {
    begin: (intentId: string, ceremony?: "spc" | "webauthn") => Promise<BeginResult>;
    complete: (intentId: string, response: unknown) => Promise<CompleteResult>;
  };
}) {
  const router = useRouter();
  // Known only in the browser; the server render assumes support, so there is no flash for most users.
  const supported = useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => true);
  const [phase, setPhase] = useState<Phase>(
    initialLockout ? { kind: "error", message: initialLockout, locked: true } : { kind: "idle" },
  );
  const secondsLeft = useSecondsLeft(expiresAtMs);
  // Whether to use the browser's payment dialog: asked of the browser once; false after the customer
  // chose another way in it (or it couldn't be shown), so the next click is a plain passkey.
  const [useDialog, setUseDialog] = useState(false);
  useEffect(() => {
    if (spc) void spcAvailable().then(setUseDialog);
  }, [spc]);
  const idle = phase.kind === "idle" || (phase.kind === "error" && !phase.locked);
  // A stale tab: when the customer comes back to it (and every 30 s), the page is asked again, so an
  // intent confirmed, cancelled or used in another tab shows its finished state, not a live button.
  useEffect(() => {
    if (!idle) return;
    const recheck = () => {
      if (document.visibilityState === "visible") router.refresh();
    };
    window.addEventListener("focus", recheck);
    document.addEventListener("visibilitychange", recheck);
    const timer = setInterval(recheck, 30_000);
    return () => {
      window.removeEventListener("focus", recheck);
      document.removeEventListener("visibilitychange", recheck);
      clearInterval(timer);
    };
  }, [idle, router]);
  const expired = secondsLeft === 0 && phase.kind !== "verifying";

  async function confirm() {
    setPhase({ kind: "starting" });
    const begin = await actions.begin(intentId, useDialog ? "spc" : "webauthn");
    if (!begin.ok) return setPhase({ kind: "error", message: begin.message, locked: begin.code === "locked" });
    let response;
    if (begin.spc) {
      setPhase({ kind: "dialog" });
      try {
        response = await runSpc(begin.spc);
      } catch (err) {
        if (!(err instanceof SpcEnded)) throw err;
        if (err.outcome === "fallback") setUseDialog(false);
        return setPhase({
          kind: "error",
          info: true,
          message:
            err.outcome === "cancelled"
              ? "You closed your browser's payment dialog, so nothing was sent. This payment is still waiting: confirm it when you're ready, or cancel it."
              : "Your browser's payment dialog wasn't used, so nothing was sent. Confirm with your passkey instead.",
        });
      }
    } else {
      setPhase({ kind: "waiting" });
      const started = performance.now();
      try {
        response = await startAuthentication({ optionsJSON: begin.options });
      } catch (err) {
        const problem = classifyCeremonyError(err, performance.now() - started, begin.options.timeout ?? 60_000);
        return setPhase({ kind: "error", message: ceremonyMessage(problem, BRAND.name) });
      }
    }
    setPhase({ kind: "verifying" });
    const done = await actions.complete(intentId, response);
    // Back to an API client's loopback redirect is a full navigation to another origin.
    if (done.ok)
      return done.redirectTo.startsWith("/")
        ? router.replace(done.redirectTo)
        : window.location.assign(done.redirectTo);
    setPhase({ kind: "error", message: done.message, locked: done.code === "locked", warn: done.warn });
  }

  if (!supported) {
    return (
      <p role="alert" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
        This browser can&apos;t use passkeys. Open {BRAND.name} in a current version of Chrome, Safari, Edge or Firefox,
        or on your phone, to confirm.
      </p>
    );
  }
  const busy =
    phase.kind === "starting" || phase.kind === "waiting" || phase.kind === "dialog" || phase.kind === "verifying";
  const locked = phase.kind === "error" && phase.locked;
  if (expired) {
    return (
      <div
        role="alert"
        className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
        data-testid="step-up-expired"
      >
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
        Use{" "}
        {passkeyNames.length === 1 ? (
          <>your passkey &quot;{passkeyNames[0]}&quot;</>
        ) : (
          <>one of your passkeys ({passkeyNames.join(", ")})</>
        )}
        . {after}
      </p>
      {phase.kind === "error" && (
        <p
          role="alert"
          data-testid="step-up-error"
          className={`rounded-lg border px-3 py-2 text-sm font-medium ${phase.warn || locked ? "border-red-300 bg-red-50 text-red-800" : phase.info ? "border-slate-200 bg-slate-50 text-slate-800" : "border-amber-200 bg-amber-50 text-amber-900"}`}
        >
          {phase.message}
        </p>
      )}
      {locked && (
        <p className="text-sm text-slate-700" data-testid="step-up-next-step">
          Nothing was sent or changed. You can cancel this request below; everything else in {BRAND.name} works as
          usual.
        </p>
      )}
      <button
        type="button"
        onClick={confirm}
        disabled={busy || locked}
        aria-describedby={phase.kind === "waiting" ? "step-up-waiting" : undefined}
        className="w-full rounded-lg bg-accent-600 px-4 py-2.5 font-medium text-white hover:bg-accent-700 disabled:cursor-not-allowed disabled:opacity-70"
      >
        {phase.kind === "starting"
          ? "Preparing…"
          : phase.kind === "waiting"
            ? "Waiting for your passkey…"
            : phase.kind === "dialog"
              ? "Check the payment in your browser…"
              : phase.kind === "verifying"
                ? "Confirming…"
                : useDialog
                  ? "Confirm in your browser"
                  : "Confirm with passkey"}
      </button>
      {useDialog && phase.kind !== "dialog" && (
        <p className="text-xs text-slate-500" data-testid="step-up-spc-hint">
          Your browser shows the payee and the amount in its own window, and your passkey signs exactly what it shows.
        </p>
      )}
      {phase.kind === "waiting" && (
        <p
          id="step-up-waiting"
          role="status"
          className="flex items-center justify-between gap-3 text-sm text-slate-700"
        >
          <span>Waiting for your passkey… Follow your device&apos;s prompt.</span>
          {/* Aborts the browser's prompt (AbortError), so a customer never waits out the full minute. */}
          <button
            type="button"
            onClick={() => WebAuthnAbortService.cancelCeremony()}
            className="rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-100"
          >
            Stop waiting
          </button>
        </p>
      )}
      <p className="text-center text-xs text-slate-500" aria-live="off" data-testid="step-up-countdown">
        {secondsLeft === null ? "\u00a0" : `Expires in ${mmss(secondsLeft)}`}
      </p>
    </div>
  );
}
