import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/assurance/operation";
import { recordAudit } from "@/lib/audit/log";
import { randomInt } from "node:crypto";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/password";
import { db, type Tx } from "@/lib/db";

/**
 * Recovery codes: single-use look-up secrets (NIST SP 800-63B-4 §3.1.2) for when every passkey is
 * lost. Ten codes of 12 Crockford base32 characters (60 bits each), shown once as XXXX-XXXX-XXXX.
 * Under 112 bits, §3.1.2 wants them salted and hashed with a password hashing scheme, so each is an
 * argon2id hash; guessing is further bounded by the recovery sign-in limiter (§3.2.2).
 */
export const RECOVERY_CODE_COUNT = 10;
const CODE_LENGTH = 12;
/** Crockford's base32: no I, L, O or U, so codes survive being read aloud or handwritten. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function newCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** How a code is shown: three groups of four. */
export const formatRecoveryCode = (code: string) => code.match(/.{1,4}/g)!.join("-");

/**
 * The canonical form of what someone typed, or null if it can't be a code: case, spaces and hyphens
 * don't matter, and the letters Crockford maps to digits (O→0, I/L→1) are read as those digits.
 */
export function normaliseRecoveryCode(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 64) return null;
  const code = raw.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/**
 * A fresh set of codes: `codes` (formatted) to show once, and `store`, which replaces the user's old
 * codes (used or not) inside the caller's transaction and records that they were issued, and why.
 * The slow hashing happens here, before it.
 */
export async function makeRecoveryCodes(): Promise<{
  codes: string[];
  store: (tx: Tx, userId: string, why: "regenerated" | "passkey_enrolled") => Promise<void>;
}> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  const hashes = await Promise.all(codes.map((code) => hashPassword(code)));
  return {
    codes: codes.map(formatRecoveryCode),
    async store(tx, userId, why) {
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
      await recordAudit(
        { userId, action: "recovery.codes_issued", outcome: "SUCCESS", metadata: { count: codes.length, why } },
        tx,
      );
    },
  };
}

export type RecoveryCodeStatus = { unused: number; issuedAt: Date | null };

export async function recoveryCodeStatus(userId: string): Promise<RecoveryCodeStatus> {
  const [unused, newest] = await Promise.all([
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
    db.recoveryCode.findFirst({ where: { userId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
  ]);
  return { unused, issuedAt: newest?.createdAt ?? null };
}

/**
 * The id of the user's unused code that matches, or null. Always exactly RECOVERY_CODE_COUNT argon2
 * verifications, whoever asks: every unused code is checked (so the time doesn't say which one
 * matched), and the rest of the count is burnt on the dummy hash. A customer with 3 codes left, one
 * with none, and an email with no account all cost the same, so the time taken doesn't tell which
 * emails have accounts, or how many codes are left (OWASP ASVS 5 V6.3.8; NIST SP 800-63B-4 §3.1.2).
 */
export async function findRecoveryCode(userId: string | null, raw: unknown): Promise<string | null> {
  const code = normaliseRecoveryCode(raw) ?? "";
  const rows = userId
    ? await db.recoveryCode.findMany({ where: { userId, usedAt: null }, select: { id: true, codeHash: true } })
    : [];
  let match: string | null = null;
  for (const row of rows) {
    if ((await verifyPassword(row.codeHash, code)) && code) match ??= row.id;
  }
  for (let i = rows.length; i < RECOVERY_CODE_COUNT; i++) await burnPasswordCheck(code);
  return match;
}

/** Marks a code used, once: of two racing sign-ins with the same code, exactly one gets true. */
export async function useRecoveryCode(tx: Tx, userId: string, codeId: string, at: Date): Promise<boolean> {
  const used = await tx.recoveryCode.updateMany({ where: { id: codeId, userId, usedAt: null }, data: { usedAt: at } });
  return used.count === 1;
}

type FreshCodes = Awaited<ReturnType<typeof makeRecoveryCodes>>;

/**
 * New recovery codes, replacing the old ones, under a passkey step-up within 5 minutes (policy
 * "recovery.regenerate"; OWASP ASVS 5 V7.5.1: recovery codes are authentication data). The codes are
 * the result, shown once; only their hashes are stored.
 */
export const recoveryRegenerate = defineOperation({
  policies: ["recovery.regenerate"],
  input: z.object({}),
  prepare: async () => ({ action: "recovery.regenerate", payload: {}, carry: null as FreshCodes | null }),
  inputOf: () => ({}),
  describe: () => ({
    title: "Make new recovery codes",
    details: [],
    after:
      "You'll go back to your security settings to see the new codes within 5 minutes. Your old codes stop working then.",
    backTo: "/settings/security#recovery",
  }),
  // The slow hashing happens once the guard has allowed it, outside the transaction.
  compute: async () => makeRecoveryCodes(),
  async run(tx, actor, { carry: fresh }) {
    if (!fresh) throw new Error("recovery codes were not made");
    await fresh.store(tx, actor.id, "regenerated");
    return fresh.codes;
  },
  record: (codes) => ({ count: String(codes.length) }),
  resume: { kind: "revisit", to: () => "/settings/security?recovery=confirmed#recovery" },
  success: "New recovery codes made. The old ones no longer work.",
  audit: { action: "recovery.codes_issued", label: "Recovery codes made" },
  example: () => ({}),
});
