import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/assurance/operation";
import { recordAudit } from "@/lib/audit/log";
import { revokeAccessTokensOf } from "@/lib/api/tokens";
import { db, type Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { FREEZE_TOKEN, freezeTokenHash } from "@/lib/notify/links";
import { notify, utcTime } from "@/lib/notify/messages";

/**
 * "This wasn't me" (docs/notifications.md): every security message carries a link that freezes the
 * account. A freeze is on the user, so every session, channel and app instance sees it, and the
 * guard re-checks it when each operation runs (lib/assurance/guard.ts), not only when it was asked.
 *
 * While frozen: money can't leave, payees and payouts can't change, no passkey, API token or
 * recovery codes can be made, and recovery-code sign-in is refused. Reading still works, and so do
 * the two changes a customer needs to take the account back (a new password, removing a thief's
 * passkey), each confirmed by a passkey enrolled before the freeze.
 */

/**
 * Between a confirmed unfreeze and the account working again: the customer hears of it, and a
 * freeze link used meanwhile cancels it (NIST SP 800-63B-4 §4.2.1 asks for a notice on recovery
 * events; the wait is what makes the notice useful).
 */
export const UNFREEZE_COOLING_OFF_S = 24 * 60 * 60;

export type Freeze = { since: Date; unfreezesAt: Date | null };
export const FREEZE_COLUMNS = { frozenAt: true, unfreezeAt: true } as const;

/** The freeze in force at `now`, or null: frozen, and no confirmed unfreeze has come to its end. */
export function freezeOf(
  row: { frozenAt: Date | null; unfreezeAt: Date | null } | null,
  now: Date = new Date(),
): Freeze | null {
  if (!row?.frozenAt) return null;
  if (row.unfreezeAt && row.unfreezeAt <= now) return null;
  return { since: row.frozenAt, unfreezesAt: row.unfreezeAt };
}

export async function accountFreezeOf(
  userId: string,
  client: Tx | typeof db = db,
  now: Date = new Date(),
): Promise<Freeze | null> {
  return freezeOf(await client.user.findUnique({ where: { id: userId }, select: FREEZE_COLUMNS }), now);
}

export const FROZEN_MESSAGE =
  "Your account is frozen, so this was refused and nothing changed. To unfreeze it, go to Security, confirm your password and a passkey you had before the freeze.";

export const frozenError = () => new DomainError("account_frozen", FROZEN_MESSAGE);

/** Throws DomainError "account_frozen" when the account is frozen now (read in `client`, e.g. the operation's transaction). */
export async function refuseIfFrozen(client: Tx | typeof db, userId: string): Promise<void> {
  if (await accountFreezeOf(userId, client)) throw frozenError();
}

export type FreezeLinkState =
  | { state: "valid"; name: string; frozen: boolean }
  | { state: "used"; frozen: boolean }
  | { state: "expired" }
  | { state: "invalid" };

/** What a link is, for the page that opens it. Reading changes nothing: mail scanners follow links. */
export async function inspectFreezeLink(token: unknown, now: Date = new Date()): Promise<FreezeLinkState> {
  if (typeof token !== "string" || !FREEZE_TOKEN.test(token)) return { state: "invalid" };
  const link = await db.freezeLink.findUnique({
    where: { tokenHash: freezeTokenHash(token) },
    select: { usedAt: true, expiresAt: true, user: { select: { name: true, ...FREEZE_COLUMNS } } },
  });
  if (!link) return { state: "invalid" };
  const frozen = freezeOf(link.user, now) !== null;
  if (link.usedAt) return { state: "used", frozen };
  if (link.expiresAt <= now) return { state: "expired" };
  return { state: "valid", name: link.user.name.split(/\s+/)[0] ?? link.user.name, frozen };
}

export type FreezeResult =
  | { ok: true; sessions: number; tokens: number; intents: number }
  | { ok: false; state: "used" | "expired" | "invalid" };

/**
 * Uses a link: takes it with one conditional write (so of two racing clicks, one freezes and the
 * other finds it used), then freezes the account in the same transaction. Nothing else: a link can't
 * unfreeze, and it signs no one in.
 */
export async function freezeWithLink(token: unknown, now: Date = new Date()): Promise<FreezeResult> {
  if (typeof token !== "string" || !FREEZE_TOKEN.test(token)) return { ok: false, state: "invalid" };
  const tokenHash = freezeTokenHash(token);
  const result = await db.$transaction(async (tx) => {
    const taken = await tx.freezeLink.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (taken.count !== 1) return null;
    const { userId } = await tx.freezeLink.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true } });
    return { userId, ...(await freezeAccount(tx, userId, now)) };
  });
  if (result) return { ok: true, sessions: result.sessions, tokens: result.tokens, intents: result.intents };
  const state = await inspectFreezeLink(token, now);
  const refused = state.state === "valid" ? "used" : state.state;
  if (refused !== "invalid") {
    // A real link used again, or late: its customer's log shows it (a forged one names no one).
    const link = await db.freezeLink.findUnique({ where: { tokenHash }, select: { userId: true } });
    if (link)
      await recordAudit({
        userId: link.userId,
        action: "account.freeze_link_refused",
        outcome: "DENIED",
        reason: refused,
      });
  }
  return { ok: false, state: refused };
}

/**
 * Freezes the account, in `tx`: every session and API token ends, every confirmation still pending
 * is cancelled, and an unfreeze waiting out its cooling-off is called off. Audited, and the customer
 * is told. Freezing a frozen account keeps its original start (a passkey from before it still counts).
 */
export async function freezeAccount(
  tx: Tx,
  userId: string,
  now: Date,
): Promise<{ sessions: number; tokens: number; intents: number }> {
  const current = await accountFreezeOf(userId, tx, now);
  await tx.user.update({ where: { id: userId }, data: { frozenAt: current?.since ?? now, unfreezeAt: null } });
  const sessions = await tx.session.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: now, revokedReason: "account_frozen" },
  });
  const clients = await tx.apiClient.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  await revokeAccessTokensOf(tx, userId);
  const intents = await tx.stepUpIntent.updateMany({
    where: { userId, status: { in: ["PENDING", "AUTHORISED"] } },
    data: { status: "CANCELLED", cancelReason: "account_frozen" },
  });
  await recordAudit(
    {
      userId,
      action: "account.frozen",
      outcome: "SUCCESS",
      metadata: {
        sessions: sessions.count,
        apiTokens: clients.count,
        intents: intents.count,
        ...(current?.unfreezesAt ? { cancelledUnfreeze: current.unfreezesAt.toISOString() } : {}),
      },
    },
    tx,
  );
  await notify(tx, userId, "account.frozen", {});
  return { sessions: sessions.count, tokens: clients.count, intents: intents.count };
}

/**
 * Taking a frozen account back (policy "account.unfreeze"): the web form checks the password first
 * (lib/auth/reauth.ts, with its lockout), then the guard asks for a passkey for this very operation,
 * and the operation runs only if that passkey was enrolled before the freeze (guard: whenFrozen
 * "bound"). It doesn't unfreeze at once: the account stays frozen through a cooling-off, the customer
 * is told, and a freeze link used meanwhile calls it off. The payload names the freeze it ends, so a
 * confirmation can't outlive a new freeze.
 */
export const accountUnfreeze = defineOperation({
  policies: ["account.unfreeze"],
  input: z.object({ frozenSince: z.iso.datetime() }),
  async prepare(actor, { frozenSince }) {
    const freeze = await accountFreezeOf(actor.id);
    if (!freeze) throw new DomainError("not_found", "Your account isn't frozen.");
    if (freeze.unfreezesAt)
      throw new DomainError(
        "intent_used",
        `Your account is already being unfrozen: it works again at ${utcTime(freeze.unfreezesAt)}.`,
      );
    if (freeze.since.toISOString() !== frozenSince)
      throw new DomainError(
        "intent_invalid",
        "This confirmation doesn't match the operation any more. Please start again.",
      );
    return { action: "account.unfreeze", payload: { frozenSince }, carry: null };
  },
  inputOf: (p) => ({ frozenSince: p.frozenSince }),
  describe: (p) => ({
    title: "Unfreeze your account",
    details: [
      ["Frozen since", utcTime(new Date(p.frozenSince))],
      ["Works again", `${UNFREEZE_COOLING_OFF_S / 3600} hours after you confirm`],
    ],
    after:
      "Your account stays frozen for 24 hours, and we'll email you. If it wasn't you, the link in that message keeps it frozen.",
    backTo: "/settings/security",
  }),
  async run(tx, actor, { payload }) {
    const now = new Date();
    const at = new Date(now.getTime() + UNFREEZE_COOLING_OFF_S * 1000);
    // One conditional write: still the freeze this was confirmed for, and no unfreeze already under way.
    const { count } = await tx.user.updateMany({
      where: { id: actor.id, frozenAt: new Date(payload.frozenSince), unfreezeAt: null },
      data: { unfreezeAt: at },
    });
    if (count !== 1)
      throw new DomainError(
        "intent_invalid",
        "This confirmation doesn't match the operation any more. Please start again.",
      );
    await recordAudit(
      {
        userId: actor.id,
        action: "account.unfreeze_confirmed",
        outcome: "SUCCESS",
        metadata: { at: at.toISOString() },
      },
      tx,
    );
    await notify(tx, actor.id, "account.unfreeze_confirmed", { at: utcTime(at) }, now);
    return { at };
  },
  record: (r) => ({ unfreezeAt: r.at.toISOString() }),
  resume: { kind: "run", to: () => "/settings/security?unfreeze=confirmed", label: "Back to security" },
  success: "Unfreeze confirmed. Your account works again in 24 hours.",
  audit: { action: "account.unfreeze_confirmed", label: "Unfreeze confirmed" },
  example: (c) => ({ frozenSince: c.frozenSince ?? new Date().toISOString() }),
});
