import "server-only";
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";

/**
 * "This wasn't me" links (lib/auth/freeze.ts uses them): one per security message, a random 256-bit
 * token, stored only as a keyed hash (HMAC-SHA-256 under a key derived from AUTH_SECRET by HKDF,
 * RFC 5869), so a copy of the database can neither forge a link nor use a stored one.
 */

/** How long a link works: a message is often read days later. */
export const FREEZE_LINK_TTL_S = 7 * 24 * 60 * 60;
export const FREEZE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

let derived: Buffer | null = null;
const key = () => (derived ??= Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "vault", "vault freeze link v1", 32)));
export const freezeTokenHash = (token: string) => createHmac("sha256", key()).update(token).digest("hex");

/** The link's address on this deployment (its first APP_ORIGINS entry). */
export const freezeUrl = (token: string) => `${env.APP_ORIGINS[0]}/freeze/${token}`;

/** A new link for one message, in that message's transaction; the token is returned once, never stored. */
export async function issueFreezeLink(tx: Tx, userId: string, now: Date = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.freezeLink.create({
    data: { userId, tokenHash: freezeTokenHash(token), expiresAt: new Date(now.getTime() + FREEZE_LINK_TTL_S * 1000) },
  });
  return token;
}
