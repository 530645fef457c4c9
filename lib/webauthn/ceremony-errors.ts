/**
 * What to tell a customer when the browser's half of a passkey ceremony fails. WebAuthn reports
 * only a DOMException name (W3C WebAuthn L3 §5.1.4.1: NotAllowedError covers "the user cancelled",
 * "it timed out" and "no matching credential" alike, on purpose, so a page can't probe which
 * passkeys a device holds). We split them only where we know more than the browser says: we
 * cancelled (AbortError, from our own "Stop waiting"), or the full timeout ran out.
 */
export type CeremonyProblem = "stopped" | "timed_out" | "closed_or_no_passkey" | "wrong_site" | "unknown";

export function classifyCeremonyError(err: unknown, elapsedMs: number, timeoutMs: number): CeremonyProblem {
  const name =
    err instanceof Error ? err.name : typeof err === "object" && err !== null && "name" in err ? String(err.name) : "";
  if (name === "AbortError") return "stopped";
  if (name === "SecurityError") return "wrong_site";
  if (name === "NotAllowedError") return elapsedMs >= timeoutMs - 1_000 ? "timed_out" : "closed_or_no_passkey";
  return "unknown";
}

/** A human message with the next step, per problem. `brand` is the bank's name. */
export function ceremonyMessage(problem: CeremonyProblem, brand: string): string {
  switch (problem) {
    case "stopped":
      return "You stopped waiting for your passkey. Nothing was sent or changed. Confirm again when it's ready, or cancel this request.";
    case "timed_out":
      return "Your passkey didn't answer in time, so we stopped waiting. Nothing was sent or changed. Try again, and keep the device with your passkey close.";
    case "closed_or_no_passkey":
      return `The passkey prompt was closed, or this device has no passkey for ${brand}. Nothing was sent or changed. Try again, or use the device where you made your passkey.`;
    case "wrong_site":
      return `This page's address doesn't match ${brand}'s, so your passkey can't be used here. Open ${brand} from its usual address.`;
    case "unknown":
      return "Your passkey couldn't be used. Nothing was sent or changed. Try again.";
  }
}

/**
 * Why the server refused an assertion or a registration, in words, from the reason the audit log
 * kept (SimpleWebAuthn's own message, e.g. "Response counter value 6 was lower than expected 6", or
 * one of Vault's codes). The raw text stays in the log, behind "Details"; customers read this.
 * Null when the reason says nothing a customer can act on.
 */
export function verificationFailureReason(reason: string | null | undefined): string | null {
  if (!reason) return null;
  const rules: [RegExp, string][] = [
    [
      /counter value \d+ was lower than expected/i,
      "the passkey's use count went backwards, which can mean it was copied. If that wasn't you, remove that passkey",
    ],
    [/origin/i, "it was signed on another website's address"],
    [/RP ?ID/i, "the passkey belongs to another site"],
    [/user verification|not_verified|userVerified/i, "your device didn't check your PIN, fingerprint or face"],
    [/challenge|no_pending_challenge/i, "it answered an old or different request"],
    [/signature/i, "its signature didn't check out"],
    [/credential|unknown_passkey|not registered|not_found/i, "that passkey isn't registered to your account"],
  ];
  return rules.find(([pattern]) => pattern.test(reason))?.[1] ?? null;
}
