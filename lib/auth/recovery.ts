import "server-only";
import { POLICIES } from "@/lib/assurance/policy";
import { formatHoldEnd, recoveryHoldOf } from "@/lib/assurance/recovery-hold";
import { epochSeconds } from "@/lib/auth/claims";
import { recoveryCodeStatus, type RecoveryCodeStatus } from "@/lib/auth/recovery-codes";
import { requireUser } from "@/lib/auth/current-user";
import { requestTimeZone } from "@/lib/request-time-zone";

/** The signed-in user's recovery codes and cooling-off period (lib/auth/recovery-sign-in.ts starts it). */
export type RecoveryView = RecoveryCodeStatus & {
  /** When the cooling-off period ends, if it is on now. */
  holdUntil: Date | null;
  holdUntilText: string | null;
  /** This session began with a recovery code recently enough to enrol a new passkey with it. */
  recoveredSession: boolean;
};

/** Whether a recovery-code sign-in still opens passkey enrolment (policy "passkey.add"'s window). */
const recoveryEnrolmentOpen = (recoveryTime: number | undefined) =>
  recoveryTime !== undefined && epochSeconds() - recoveryTime <= POLICIES["passkey.add"].bootstrap.recoveryCodeWithinS;

export async function getMyRecoveryView(): Promise<RecoveryView> {
  const user = await requireUser();
  const [status, hold] = await Promise.all([recoveryCodeStatus(user.id), recoveryHoldOf(user.id)]);
  const holdUntil = hold?.until ?? null;
  return {
    ...status,
    holdUntil,
    holdUntilText: holdUntil && formatHoldEnd(holdUntil, await requestTimeZone()),
    recoveredSession: recoveryEnrolmentOpen(user.claims.recovery_time),
  };
}
