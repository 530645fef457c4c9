"use server";

import { revalidatePath } from "next/cache";
import { isFormData, toErrorState, unreadableForm, type ActionState } from "@/app/_lib/action-state";
import { operationAction } from "@/app/_lib/operation-action";
import { signOut } from "@/lib/auth/config";
import { revokeMyOtherSessions, revokeMySession } from "@/lib/auth/my-sessions";
import { passwordChange, passwordChangeInput } from "@/lib/auth/password-change";
import { rotateSessionToken } from "@/lib/auth/raise-claims";
import { recoveryRegenerate } from "@/lib/auth/recovery-codes";
import { getSessionUser } from "@/lib/auth/current-user";
import { DomainError, InputError } from "@/lib/errors";
import { FLASH } from "@/lib/flash";
import { setFlash } from "@/lib/flash-server";
import { forgetMyDevice, renameMyDevice } from "@/lib/risk/my-devices";
import { passkeyRemove, renamePasskey } from "@/lib/webauthn/passkeys";
import {
  finishPasskeyRegistration,
  reauthenticateWithPassword,
  startPasskeyRegistration,
  type RegistrationStart,
} from "@/lib/webauthn/registration";

/** `how`: the browser has Secure Payment Confirmation, and the passkey this one upgrades (if any). */
export async function startRegistrationAction(how?: {
  payment?: unknown;
  replacing?: unknown;
}): Promise<RegistrationStart> {
  return startPasskeyRegistration(how && typeof how === "object" ? how : {});
}

/**
 * On success, `recoveryCodes` when this enrolment issued them (the first passkey): they go to the
 * customer exactly once, in this response, and are stored only as hashes.
 */
export async function finishRegistrationAction(
  response: unknown,
  nickname: string,
  replacing?: unknown,
): Promise<{ ok: true; recoveryCodes: string[] | null; replaced: boolean } | { ok: false; message: string }> {
  let recoveryCodes: string[] | null;
  let replaced: boolean;
  try {
    ({ recoveryCodes, replaced } = await finishPasskeyRegistration(response, nickname, replacing));
  } catch (err) {
    if (err instanceof InputError) return { ok: false, message: Object.values(err.fieldErrors)[0] ?? err.userMessage };
    if (err instanceof DomainError) return { ok: false, message: err.userMessage };
    throw err;
  }
  revalidatePath("/settings/security");
  return { ok: true, recoveryCodes, replaced };
}

export async function reauthAction(password: string) {
  return reauthenticateWithPassword(password);
}

/** A rename refused: the name field's own message (blank, too long) leads, else the domain's ("not found"). */
function renameRefused(err: unknown): ActionState {
  if (err instanceof InputError)
    return {
      status: "error",
      message: Object.values(err.fieldErrors)[0] ?? err.userMessage,
      fieldErrors: err.fieldErrors,
      values: {},
    };
  return toErrorState(err, {});
}

export async function renamePasskeyAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await renamePasskey(formData.get("passkeyId"), formData.get("nickname"));
  } catch (err) {
    return renameRefused(err);
  }
  revalidatePath("/settings/security");
  return { status: "success", message: "Passkey renamed." };
}

/** The row goes away with the passkey, so the confirmation also travels as a flash. */
export const removePasskeyAction = operationAction(passkeyRemove, { flash: true, revalidate: ["/settings/security"] });

/** The current password and the new one's rules are checked first; the intent holds only the new hash. */
export const changePasswordAction = operationAction(passwordChange, {
  input: (fields, actor) =>
    passwordChangeInput(actor, { currentPassword: fields.currentPassword, newPassword: fields.newPassword }),
  message: () => "Your password was changed.",
  // OWASP ASVS 5 V7.2.4: a new session token when the password changes (a step-up rotates it as it resumes).
  after: (actor) => rotateSessionToken(actor),
});

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

/** New recovery codes (shown once) under a passkey step-up; the step-up page comes back here. */
export const regenerateRecoveryCodesAction = operationAction(recoveryRegenerate, { show: (codes) => codes });

/** Renames a known device (lib/risk/my-devices.ts checks ownership and the name). */
export async function renameDeviceAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await renameMyDevice(formData.get("deviceId"), formData.get("name"));
  } catch (err) {
    return renameRefused(err);
  }
  revalidatePath("/settings/security");
  return { status: "success", message: "Device renamed." };
}

/** Forgets a known device: its next sensitive action asks for a passkey again. The row goes, so the confirmation travels as a flash. */
export async function forgetDeviceAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await forgetMyDevice(formData.get("deviceId"));
  } catch (err) {
    return toErrorState(err, {});
  }
  await setFlash("device.forgotten");
  revalidatePath("/settings/security");
  return { status: "success", message: FLASH["device.forgotten"] };
}
