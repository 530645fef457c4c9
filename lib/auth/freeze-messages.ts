/** What a freeze link that can't be used says: plain, and clear that nothing changed (docs/notifications.md). */
export const FREEZE_LINK_MESSAGES = {
  invalid:
    "This link isn't valid, so nothing was changed. Check that you opened the whole link from the message, or sign in and review Security.",
  used: "This link has already been used, so it did nothing this time. Each link works once.",
  expired:
    "This link has expired (links work for 7 days), so nothing was changed. If you think someone else is using your account, use the link in a newer message, or sign in and review Security.",
} as const;

/** What a frozen account means, in the customer's words. */
export const FROZEN_EFFECTS = [
  "Every sign-in and API token was ended, on every device.",
  "No money can leave your accounts, and no payee or payout account can be added or changed.",
  "No passkey, API token or recovery codes can be added, and recovery codes can't be used to sign in.",
  "Anything waiting for your passkey was cancelled.",
] as const;
