"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { StepUpRequired } from "@/lib/assurance/guard";
import { signOut } from "@/lib/auth/config";
import { revokeMyOtherSessions, revokeMySession } from "@/lib/auth/my-sessions";
import { changePassword } from "@/lib/auth/password-change";
import { regenerateRecoveryCodes } from "@/lib/auth/recovery";
import { getSessionUser } from "@/lib/auth/session";
import { setFlash } from "@/lib/flash-server";
import { type ActionState, DomainError, InputError, isFormData, stepUpPath, toErrorState, unreadableForm } from "@/lib/errors";
import {
  finishPasskeyRegistration,
  reauthenticateWithPassword,
  removePasskey,
  renamePasskey,
  startPasskeyRegistration,
  type RegistrationStart,
} from "@/lib/webauthn/passkeys";

export async function startRegistrationAction(): Promise<RegistrationStart> {
  return startPasskeyRegistration();
}

/**
 * On success, `recoveryCodes` when this enrolment issued them (the first passkey): they go to the
 * customer exactly once, in this response, and are stored only as hashes.
 */
export async function finishRegistrationAction(response: unknown, nickname: string): Promise<{ ok: true; recoveryCodes: string[] | null } | { ok: false; message: string }> {
  let recoveryCodes: string[] | null;
  try {
    ({ recoveryCodes } = await finishPasskeyRegistration(response, nickname));
  } catch (err) {
    if (err instanceof InputError) return { ok: false, message: Object.values(err.fieldErrors)[0] ?? err.userMessage };
    if (err instanceof DomainError) return { ok: false, message: err.userMessage };
    throw err;
  }
  revalidatePath("/settings/security");
  return { ok: true, recoveryCodes };
}

export async function reauthAction(password: string) {
  return reauthenticateWithPassword(password);
}

export async function renamePasskeyAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await renamePasskey(formData.get("passkeyId"), formData.get("nickname"));
  } catch (err) {
    if (err instanceof InputError) return { status: "error", message: Object.values(err.fieldErrors)[0] ?? err.userMessage, fieldErrors: err.fieldErrors, values: {} };
    if (err instanceof DomainError) return { status: "error", message: err.userMessage, fieldErrors: {}, values: {} };
    throw err;
  }
  revalidatePath("/settings/security");
  return { status: "success", message: "Passkey renamed." };
}

export async function removePasskeyAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  let stepUp: string;
  try {
    await removePasskey(formData.get("passkeyId"));
    await setFlash("passkey.removed"); // the row goes away with the passkey, so the toast travels as a flash
    revalidatePath("/settings/security");
    return { status: "success", message: "Passkey removed." };
  } catch (err) {
    if (err instanceof DomainError) return { status: "error", message: err.userMessage, fieldErrors: {}, values: {} };
    if (!(err instanceof StepUpRequired)) throw err;
    stepUp = stepUpPath(err.intentId);
  }
  redirect(stepUp);
}

/** Thin: changePassword checks the session, the current password and the policy itself. No password is echoed back. */
export async function changePasswordAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  let stepUp: string;
  try {
    await changePassword({ currentPassword: formData.get("currentPassword") ?? undefined, newPassword: formData.get("newPassword") ?? undefined });
    return { status: "success", message: "Your password was changed." };
  } catch (err) {
    if (!(err instanceof StepUpRequired)) return toErrorState(err, {});
    stepUp = stepUpPath(err.intentId);
  }
  redirect(stepUp);
}

/** Ends one of the user's own sessions (lib checks ownership); ending this one signs out. */
export async function revokeSessionAction(formData: FormData): Promise<void> {
  const user = await getSessionUser();
  const id = isFormData(formData) ? formData.get("sessionId") : null;
  try {
    await revokeMySession(id);
    await setFlash("session.ended");
  } catch (err) {
    if (!(err instanceof DomainError)) throw err; // not found: nothing to end
  }
  if (user && id === user.sid) await signOut({ redirectTo: "/login" });
  revalidatePath("/settings/security");
}

export async function revokeOtherSessionsAction(): Promise<void> {
  await revokeMyOtherSessions();
  await setFlash("sessions.ended");
  revalidatePath("/settings/security");
}

export type RegenerateState = { status: "idle" } | { status: "codes"; codes: string[] } | { status: "error"; message: string };

/** New recovery codes (shown once) under a passkey step-up; the step-up page comes back here. */
export async function regenerateRecoveryCodesAction(): Promise<RegenerateState> {
  let stepUp: string;
  try {
    return { status: "codes", codes: await regenerateRecoveryCodes() };
  } catch (err) {
    if (err instanceof DomainError) return { status: "error", message: err.userMessage };
    if (!(err instanceof StepUpRequired)) throw err;
    stepUp = stepUpPath(err.intentId);
  }
  redirect(stepUp);
}
