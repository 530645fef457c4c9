import type { OperationAuditAction } from "@/lib/operations";

/**
 * How the activity log names each audit action that isn't a protected operation's own (those are
 * labelled in their definitions, lib/operations.ts). recordAudit only takes a name from one or the
 * other, so every row has a label.
 */
export const AUDIT_LABELS = {
  "auth.sign_up": "Account opened",
  "auth.sign_in": "Sign-in",
  "auth.sign_out": "Signed out",
  "payee.remove": "Payee removed",
  "auth.reauth": "Password confirmed",
  "auth.reauth_locked": "Password confirmation paused",
  "auth.session_revoke": "Session ended",
  "auth.session_refused": "Ended session used again (refused)",
  "auth.sign_in_locked": "Sign-in paused",
  "recovery.code_used": "Recovery code used",
  "recovery.hold_started": "Recovery cooling-off started",
  "account.frozen": "Account frozen",
  "account.freeze_link_refused": "Freeze link refused",
  "notice.preferences": "Email preferences changed",
  "security.cross_origin_action": "Request from another site refused",
  "passkey.rename": "Passkey renamed",
  "device.rename": "Device renamed",
  "device.forget": "Device forgotten",
  "assurance.decision": "Security check",
  "step_up.verify": "Passkey confirmation",
  "step_up.cancel": "Confirmation cancelled",
  "step_up.expired": "Confirmation expired",
  "step_up.locked": "Passkey confirmation paused",
  "step_up.sso_request": "Sent to your sign-in provider to confirm",
  "api_client.revoke": "API token revoked",
  "api_client.authorize": "App's request confirmed",
  "api_client.step_up_token": "Single-use API token issued",
} as const satisfies Record<string, string>;

/** Every name an audit row may have. */
export type AuditAction = keyof typeof AUDIT_LABELS | OperationAuditAction;
