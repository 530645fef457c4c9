"use client";

import { useEffect, useState } from "react";
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication } from "@simplewebauthn/browser";
import { passkeySignInAction, passkeySignInOptionsAction } from "../actions";
import { BRAND } from "@/lib/brand";

type Phase = { kind: "idle" } | { kind: "waiting" } | { kind: "error"; message: string };

/** A DOMException's name: the browser's reason for ending a ceremony. */
const errorName = (err: unknown) => (err instanceof Error ? err.name : "");

/**
 * Usernameless passkey sign-in. Two ways in, one server path:
 * - autofill (conditional UI): started on page load; the browser offers Vault passkeys in the email
 *   field's suggestions (autocomplete="username webauthn");
 * - the button: a modal prompt. Starting it aborts the pending autofill request (SimpleWebAuthn's
 *   abort service), which is why an AbortError from autofill is ignored.
 */
export function PasskeySignIn({ next }: { next: string }) {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });

  async function finish(response: unknown) {
    setPhase({ kind: "waiting" });
    const result = await passkeySignInAction(response, next); // success redirects
    if (result && !result.ok) setPhase({ kind: "error", message: result.message });
  }

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (!(await browserSupportsWebAuthnAutofill())) return;
      const start = await passkeySignInOptionsAction();
      if (cancelled || !start.ok) return; // busy: the button still works, and says why
      try {
        await finish(await startAuthentication({ optionsJSON: start.options, useBrowserAutofill: true }));
      } catch {
        // Aborted by the button, or dismissed: autofill fails silently; the button remains.
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- started once per page view
  }, []);

  async function withButton() {
    if (!browserSupportsWebAuthn()) {
      return setPhase({
        kind: "error",
        message: "This browser can't use passkeys. Sign in with your password instead.",
      });
    }
    setPhase({ kind: "waiting" });
    try {
      const start = await passkeySignInOptionsAction();
      if (!start.ok) return setPhase({ kind: "error", message: start.message });
      await finish(await startAuthentication({ optionsJSON: start.options }));
    } catch (err) {
      setPhase({
        kind: "error",
        message:
          errorName(err) === "NotAllowedError"
            ? `No passkey was used: the prompt was closed or timed out, or this device has no ${BRAND.name} passkey.`
            : "Your passkey couldn't be used. Try again, or sign in with your password.",
      });
    }
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={withButton}
        disabled={phase.kind === "waiting"}
        className="w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-medium text-slate-900 hover:bg-slate-100 focus:ring-2 focus:ring-accent-600 focus:ring-offset-2 focus:outline-none disabled:cursor-wait disabled:opacity-70"
      >
        {phase.kind === "waiting" ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </button>
      {phase.kind === "error" && (
        <p role="alert" className="text-sm font-medium text-red-700" data-testid="passkey-sign-in-error">
          {phase.message}
        </p>
      )}
    </div>
  );
}
