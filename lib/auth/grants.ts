import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { isAcr, type Grant } from "@/lib/auth/claims";
import { db } from "@/lib/db";

/** A grant is used within the same request that minted it; a minute is generous. */
const GRANT_TTL_MS = 60_000;

const hashOf = (raw: string) => createHash("sha256").update(raw).digest("hex");

/**
 * Mints a single-use grant that can raise this session's claims once. Only its SHA-256 is stored, so
 * neither the browser nor a database reader holds a usable grant.
 */
export async function mintGrant(input: { userId: string; sessionId: string } & Grant): Promise<string> {
  const raw = randomBytes(32).toString("base64url");
  await db.assuranceGrant.create({
    data: {
      id: hashOf(raw),
      userId: input.userId,
      sessionId: input.sessionId,
      amr: input.amr.join(","),
      acr: input.acr,
      authTime: input.authTime,
      expiresAt: new Date(Date.now() + GRANT_TTL_MS),
    },
  });
  return raw;
}

/**
 * The acr column's value for a grant that only rotates the session (a new sid, no new claims): after
 * a password change or "sign out everywhere else". It is no acr, so consumeGrant never reads it as one.
 */
const ROTATE_ONLY = "rotate";

/** Mints a single-use grant that rotates this session without raising anything (lib/auth/raise-claims.ts). */
export async function mintRotationGrant(input: { userId: string; sessionId: string }): Promise<string> {
  const raw = randomBytes(32).toString("base64url");
  await db.assuranceGrant.create({
    data: {
      id: hashOf(raw),
      userId: input.userId,
      sessionId: input.sessionId,
      amr: "",
      acr: ROTATE_ONLY,
      authTime: 0,
      expiresAt: new Date(Date.now() + GRANT_TTL_MS),
    },
  });
  return raw;
}

/**
 * Consumes a grant atomically: exactly one caller, for the same user and session, before expiry.
 * "rotate" for a rotation-only grant; the claims to add for any other.
 */
export async function consumeSessionGrant(
  raw: string,
  userId: string,
  sessionId: string,
): Promise<Grant | "rotate" | null> {
  const id = hashOf(raw);
  const now = new Date();
  // One statement: the conditional update claims the row and returns it (UPDATE … RETURNING).
  const [row] = await db.assuranceGrant.updateManyAndReturn({
    where: { id, userId, sessionId, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  if (!row) return null;
  if (row.acr === ROTATE_ONLY) return "rotate";
  if (!isAcr(row.acr)) return null;
  return { amr: row.amr.split(",").filter(Boolean), acr: row.acr, authTime: row.authTime };
}

/** consumeSessionGrant for a grant that raises claims; a rotation-only grant is consumed and gives null. */
export async function consumeGrant(raw: string, userId: string, sessionId: string): Promise<Grant | null> {
  const grant = await consumeSessionGrant(raw, userId, sessionId);
  return grant === "rotate" ? null : grant;
}
