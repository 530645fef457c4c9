import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/assurance/operation";
import { recordAudit } from "@/lib/audit/log";
import { notify } from "@/lib/notify/messages";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { notFound, parseInput } from "@/lib/errors";

export type PasskeyView = {
  id: string;
  nickname: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  synced: boolean;
  /** Can confirm payments in the browser's own dialog (Secure Payment Confirmation, lib/assurance/spc.ts). */
  payment: boolean;
};

export async function listMyPasskeys(): Promise<PasskeyView[]> {
  const user = await requireUser();
  const rows = await db.passkey.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
  return rows.map((p) => ({
    id: p.id,
    nickname: p.nickname,
    createdAt: p.createdAt,
    lastUsedAt: p.lastUsedAt,
    synced: p.deviceType === "multiDevice",
    payment: p.payment,
  }));
}

export const nicknameSchema = z
  .string({ error: "Give the passkey a name." })
  .trim()
  .min(1, "Give the passkey a name.")
  .max(60, "Use at most 60 characters.");

/**
 * Adding a passkey (policy "passkey.add"): the bootstrapping rule, so a stolen session can't enrol its
 * own passkey and then pass step-up. Allowed now, the registration ceremony opens
 * (lib/webauthn/registration.ts); this operation itself writes nothing.
 */
export const passkeyAdd = defineOperation({
  policies: ["passkey.add"],
  input: z.object({}),
  prepare: async () => ({ action: "passkey.add", payload: {}, carry: null }),
  inputOf: () => ({}),
  describe: () => ({
    title: "Add a new passkey",
    details: [],
    after: "You'll go back to your security settings to create the new passkey within 5 minutes.",
    backTo: "/settings/security",
  }),
  run: async () => ({ mayEnrol: true }),
  record: () => ({}),
  resume: { kind: "revisit", to: () => "/settings/security?confirmed=1" },
  success: "Confirmed. Now add your new passkey.",
  audit: { action: "passkey.add", label: "Passkey added" },
  example: () => ({}),
});

export async function renamePasskey(passkeyId: unknown, nickname: unknown): Promise<void> {
  const user = await requireUser();
  const name = parseInput(z.object({ nickname: nicknameSchema }), { nickname }).nickname;
  if (typeof passkeyId !== "string" || passkeyId.length > 1024) throw notFound("That passkey");
  const changed = await db.passkey.updateMany({ where: { id: passkeyId, userId: user.id }, data: { nickname: name } });
  if (changed.count !== 1) throw notFound("That passkey");
  await recordAudit({ userId: user.id, action: "passkey.rename", outcome: "SUCCESS", metadata: { nickname: name } });
}

/** Removing a passkey needs a passkey step-up within 5 minutes (policy "passkey.remove"). */
export const passkeyRemove = defineOperation({
  policies: ["passkey.remove"],
  // Any id that is missing, not text or too long is simply not found.
  input: z.object({ passkeyId: z.string().catch("") }),
  async prepare(actor, { passkeyId }) {
    const passkey =
      passkeyId.length > 1024
        ? null
        : await db.passkey.findFirst({
            where: { id: passkeyId, userId: actor.id },
            select: { id: true, nickname: true },
          });
    if (!passkey) throw notFound("That passkey");
    return { action: "passkey.remove", payload: { passkeyId: passkey.id, nickname: passkey.nickname }, carry: null };
  },
  inputOf: (p) => ({ passkeyId: p.passkeyId }),
  describe: (p) => ({
    title: `Remove the passkey "${p.nickname}"`,
    details: [["Passkey", p.nickname]],
    after: "The passkey is removed as soon as you confirm. It will no longer work for Vault.",
    backTo: "/settings/security",
  }),
  async run(tx, actor, { payload }) {
    const removed = await tx.passkey.deleteMany({ where: { id: payload.passkeyId, userId: actor.id } });
    if (removed.count !== 1) throw notFound("That passkey");
    await recordAudit(
      { userId: actor.id, action: "passkey.remove", outcome: "SUCCESS", metadata: { nickname: payload.nickname } },
      tx,
    );
    await notify(tx, actor.id, "passkey.removed", { name: payload.nickname });
    return { removed: payload.passkeyId };
  },
  record: (r) => r,
  resume: { kind: "run", to: () => "/settings/security?removed=1", label: "View your passkeys" },
  success: "Passkey removed.",
  audit: { action: "passkey.remove", label: "Passkey removed" },
  example: (c) => ({ passkeyId: c.passkeyId }),
});
