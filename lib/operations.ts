import "server-only";
import type { Operation } from "@/lib/assurance/operation";
import type { PolicyAction } from "@/lib/assurance/policy";
import { apiClientCreate } from "@/lib/api/clients";
import { accountUnfreeze } from "@/lib/auth/freeze";
import { passwordChange } from "@/lib/auth/password-change";
import { recoveryRegenerate } from "@/lib/auth/recovery-codes";
import { accountReveal } from "@/lib/banking/accounts";
import { limitChange } from "@/lib/banking/limits";
import { payeeAdd } from "@/lib/banking/payees";
import { payoutChange } from "@/lib/banking/payout";
import { transfer } from "@/lib/banking/transfers";
import { passkeyAdd, passkeyRemove } from "@/lib/webauthn/passkeys";

/**
 * Every protected operation, by the policy it runs under (lib/assurance/policy.ts). A policy without
 * an operation here is a compile error that names it. The pipeline (lib/assurance/pipeline.ts) is
 * the only thing that runs them.
 */
export const OPERATIONS = {
  "transfer.own": transfer,
  "transfer.payee": transfer,
  "payee.add": payeeAdd,
  "payout.change": payoutChange,
  "account.reveal": accountReveal,
  "passkey.add": passkeyAdd,
  "passkey.remove": passkeyRemove,
  "password.change": passwordChange,
  "recovery.regenerate": recoveryRegenerate,
  "api_client.create": apiClientCreate,
  "limit.raise": limitChange,
  "limit.lower": limitChange,
  "account.unfreeze": accountUnfreeze,
} satisfies Record<PolicyAction, Operation>;

/** Each operation's audit action, so the activity log can label every one (lib/audit/actions.ts). */
export type OperationAuditAction = (typeof OPERATIONS)[PolicyAction]["audit"]["action"];
