/**
 * One-off confirmations shown as a toast on the next page ("flash" messages). A server action that
 * redirects, or re-renders the page, leaves a key in a short-lived cookie; the Toaster shows its
 * message and deletes the cookie. Only keys travel, never text: the messages are these and the
 * operations' own (lib/flash-server.ts flashMessages), so a crafted cookie can at most show one of them.
 */
export const FLASH_COOKIE = "vault-flash";

/** Confirmations that aren't a protected operation's own (those are in their definitions, lib/operations.ts). */
export const FLASH = {
  "payee.removed": "Payee removed.",
  "session.ended": "Session ended. That device is signed out.",
  "sessions.ended": "Signed out everywhere else.",
  "device.forgotten": "Device forgotten. Its next sensitive action asks for your passkey.",
  "api.revoked": "API token revoked. Its access tokens stop working now.",
  "step-up.cancelled": "Cancelled. Nothing was sent or changed.",
  welcome: "Welcome to Vault: your accounts are open.",
} as const;
export type FlashKey = keyof typeof FLASH;

/** The message for a cookie value `key.nonce` (the nonce makes two identical flashes two toasts), from the known ones. */
export function flashMessage(value: string | undefined, messages: Readonly<Record<string, string>>): string | null {
  const key = value?.split(".").slice(0, -1).join(".");
  return key && Object.hasOwn(messages, key) ? messages[key] : null;
}
