/**
 * One-off confirmations shown as a toast on the next page ("flash" messages). A server action that
 * redirects, or re-renders the page, leaves a key in a short-lived cookie; the Toaster shows its
 * message and deletes the cookie. Only keys travel, never text: the messages live here, so a
 * crafted cookie can at most show one of these.
 */
export const FLASH_COOKIE = "vault-flash";

export const FLASH = {
  "transfer.sent": "Payment sent.",
  "payee.added": "Payee added.",
  "payee.removed": "Payee removed.",
  "payout.saved": "Payout account updated.",
  "passkey.removed": "Passkey removed.",
  "password.changed": "Password changed.",
  "session.ended": "Session ended. That device is signed out.",
  "sessions.ended": "Signed out everywhere else.",
  "api.revoked": "API token revoked. Its access tokens stop working now.",
  "step-up.cancelled": "Cancelled. Nothing was sent or changed.",
  welcome: "Welcome to Vault: your accounts are open.",
} as const;
export type FlashKey = keyof typeof FLASH;

/** What the toast on the next page says once a resumed action is done (grace-window actions show their own result). */
export const FLASH_AFTER_STEP_UP: Partial<Record<string, FlashKey>> = {
  "transfer.own": "transfer.sent",
  "transfer.payee": "transfer.sent",
  "payee.add": "payee.added",
  "payout.change": "payout.saved",
  "passkey.remove": "passkey.removed",
  "password.change": "password.changed",
};

/** The message for a cookie value `key.nonce` (the nonce makes two identical flashes two toasts). */
export function flashMessage(value: string | undefined): string | null {
  const key = value?.split(".").slice(0, -1).join(".");
  return key && Object.hasOwn(FLASH, key) ? FLASH[key as FlashKey] : null;
}
