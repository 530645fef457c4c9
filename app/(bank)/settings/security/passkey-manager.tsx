"use client";

import { useEffect, useState } from "react";
import { spcAvailable } from "@/app/_lib/spc-browser";
import { showToast } from "@/app/_components/toaster";
import { useRouter } from "next/navigation";
import { startRegistration } from "@simplewebauthn/browser";
import { Field } from "@/app/_components/field";
import { RecoveryCodeList } from "./recovery-codes";
import { NamedRow } from "./named-row";
import {
  finishRegistrationAction,
  reauthAction,
  removePasskeyAction,
  renamePasskeyAction,
  startRegistrationAction,
} from "./actions";
import { BRAND } from "@/lib/brand";
import { Badge, RequiresPasskey } from "@/app/_components/badge";

type Phase = "idle" | "password" | "waiting" | "error";

/**
 * Adding a passkey follows the bootstrapping rule: the first one needs your password again, any
 * later one a passkey confirmation (the server decides; this only follows its answer).
 */
/** What the server will ask before a new passkey: the password (first one), a passkey, or nothing after a recovery sign-in. */
export type EnrolRequirement = "password" | "passkey" | "recovery" | "sso";

const REQUIREMENT_TEXT: Record<EnrolRequirement, [badge: string, text: string]> = {
  password: ["Requires password", "You'll confirm your password first."],
  passkey: ["Requires passkey", "You'll confirm with an existing passkey first."],
  recovery: ["Recovery", "You signed in with a recovery code: add the new passkey now, on this device."],
  sso: ["Requires SSO sign-in", "You'll confirm at your company's sign-in first."],
};

export function AddPasskey({ requirement, next }: { requirement: EnrolRequirement; next: string | null }) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>("idle");
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [nickname, setNickname] = useState("My passkey");
  const [password, setPassword] = useState("");

  // Where the browser has its own payment dialog (SPC), the passkey is made on this device, able to
  // confirm payments in it; the customer can choose a security key or another device instead.
  const dialog = useSpcAvailable();
  const [elsewhere, setElsewhere] = useState(false);

  async function add(anotherDevice = elsewhere) {
    setElsewhere(anotherDevice);
    setMessage(null);
    setPhase("waiting");
    const start = await startRegistrationAction({ payment: !anotherDevice && (await spcAvailable()) });
    if (start.status === "needs_password") return setPhase("password");
    if (start.status === "needs_step_up") return router.push(`/step-up/${start.intentId}`);
    try {
      const response = await startRegistration({ optionsJSON: start.options });
      const done = await finishRegistrationAction(response, nickname);
      if (!done.ok) {
        setMessage(done.message);
        return setPhase("error");
      }
      // The list above is the server's: refresh it now, so it never says "No passkeys yet" beside
      // the codes of the passkey just added (this component, and the codes it holds, stay).
      router.refresh();
      if (done.recoveryCodes) {
        setPhase("idle");
        showToast("Passkey added. Save your recovery codes below.");
        return setRecoveryCodes(done.recoveryCodes); // shown before going on, once
      }
    } catch (err) {
      setMessage(
        err instanceof Error && err.name === "InvalidStateError"
          ? `This device already has a ${BRAND.name} passkey.`
          : "The passkey wasn't created: the prompt was closed or timed out. Try again.",
      );
      return setPhase("error");
    }
    setPhase("idle");
    showToast("Passkey added.");
    goOn();
  }

  function goOn() {
    setRecoveryCodes(null);
    if (next) router.push(next);
    else router.refresh();
  }

  async function reauth(event: React.FormEvent) {
    event.preventDefault();
    const result = await reauthAction(password);
    setPassword("");
    if (!result.ok) {
      setMessage(result.message);
      return;
    }
    await add();
  }

  if (recoveryCodes) return <RecoveryCodeList codes={recoveryCodes} onDone={goOn} />;
  const [badge, text] = REQUIREMENT_TEXT[requirement];
  const fromStepUp = next?.startsWith("/step-up/") ?? false;
  return (
    <div className="space-y-3 rounded-2xl border border-slate-200 bg-white p-5">
      {fromStepUp && (
        <p
          className="rounded-lg border border-accent-100 bg-accent-50 px-3 py-2 text-sm text-accent-800"
          data-testid="add-passkey-why"
        >
          <strong>Add a passkey to finish what you started.</strong> The request you were confirming needs a passkey,
          and you don&apos;t have one yet. Add it here; then we&apos;ll take you straight back to confirm the request,
          with nothing to type again.
        </p>
      )}
      <p className="text-sm text-slate-600">
        {requirement === "passkey" ? (
          <RequiresPasskey className="mr-1" />
        ) : (
          <Badge tone="accent" className="mr-1">
            {badge}
          </Badge>
        )}
        {text}
      </p>
      <Field
        name="nickname"
        label="Passkey name"
        value={nickname}
        onChange={(e) => setNickname(e.target.value)}
        maxLength={60}
      />
      {phase === "password" ? (
        <form onSubmit={reauth} className="space-y-3" data-testid="reauth-form">
          <Field
            name="current-password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={message ?? undefined}
          />
          <button
            type="submit"
            className="rounded-lg bg-accent-600 px-4 py-2 font-medium text-white hover:bg-accent-700"
          >
            Confirm password
          </button>
        </form>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => add(false)}
            disabled={phase === "waiting"}
            className="rounded-lg bg-accent-600 px-4 py-2 font-medium text-white hover:bg-accent-700 disabled:opacity-70"
          >
            {phase === "waiting" ? "Waiting for your device…" : "Add a passkey"}
          </button>
          {dialog && phase !== "waiting" && (
            <button
              type="button"
              onClick={() => add(true)}
              className="text-sm font-medium text-accent-800 underline hover:no-underline"
            >
              Use a security key or another device instead
            </button>
          )}
        </div>
      )}
      {phase === "error" && message && (
        <p role="alert" className="text-sm font-medium text-red-700" data-testid="passkey-error">
          {message}
        </p>
      )}
    </div>
  );
}

/** Whether this browser has its own payment dialog (Secure Payment Confirmation); null until known. */
function useSpcAvailable(): boolean | null {
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => {
    void spcAvailable().then(setAvailable);
  }, []);
  return available;
}

export function PasskeyRow({
  id,
  nickname,
  detail,
  payment,
}: {
  id: string;
  nickname: string;
  detail: string;
  payment: boolean;
}) {
  return (
    <NamedRow
      badge={
        payment ? (
          <Badge tone="success" className="ml-2">
            Payment dialog
          </Badge>
        ) : null
      }
      kind="passkey"
      idField="passkeyId"
      id={id}
      name={nickname}
      nameField="nickname"
      detail={detail}
      rename={renamePasskeyAction}
      remove={{ action: removePasskeyAction, label: "Remove", ariaLabel: `Remove ${nickname} (requires passkey)` }}
    >
      {!payment && <UpgradePasskey id={id} nickname={nickname} />}
    </NamedRow>
  );
}

/**
 * A passkey made without the payment extension can't sign in the browser's own payment dialog (SPC);
 * where this browser has the dialog, the customer is offered a successor made with it: a new
 * registration on this device (after the usual passkey confirmation), then the old passkey removed
 * under its own policy. Meanwhile payments are confirmed with WebAuthn, as before.
 */
function UpgradePasskey({ id, nickname }: { id: string; nickname: string }) {
  const router = useRouter();
  const available = useSpcAvailable();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  if (!available) return null;

  async function upgrade() {
    setBusy(true);
    setMessage(null);
    try {
      const start = await startRegistrationAction({ payment: true, replacing: id });
      if (start.status === "needs_step_up") return router.push(`/step-up/${start.intentId}`);
      if (start.status !== "ready") return setMessage("Confirm your password first, then try again.");
      const response = await startRegistration({ optionsJSON: start.options });
      const done = await finishRegistrationAction(response, nickname, id);
      if (!done.ok) return setMessage(done.message);
      showToast(
        done.replaced
          ? `Upgraded "${nickname}": it can now confirm payments in your browser's dialog.`
          : `Added a new "${nickname}" that can confirm payments in your browser's dialog. Remove the old one when you're ready.`,
      );
      router.refresh();
    } catch {
      setMessage("The passkey wasn't upgraded: the prompt was closed or timed out. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-2 text-sm"
      data-testid="passkey-upgrade"
    >
      <span className="text-slate-700">
        Can&apos;t confirm payments in your browser&apos;s own dialog, which shows the payee and amount itself.
        Upgrading makes a new passkey on this device and removes this one.
      </span>
      <button
        type="button"
        onClick={upgrade}
        disabled={busy}
        aria-label={`Upgrade ${nickname} for your browser's payment dialog`}
        className="rounded-lg border border-accent-300 px-3 py-1.5 font-medium text-accent-800 hover:bg-accent-50 disabled:opacity-70"
      >
        {busy ? "Upgrading…" : "Upgrade"}
      </button>
      {message && (
        <p role="alert" className="w-full font-medium text-red-700">
          {message}
        </p>
      )}
    </div>
  );
}
