import "server-only";
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";

/**
 * "This wasn't me" links (lib/auth/freeze.ts uses them): one per security message. Its token is
 * derived from the link's random id by HMAC-SHA-256 under a key of its own (HKDF from AUTH_SECRET,
 * RFC 5869), and only when the message is sent; the database keeps the id and a keyed hash of the
 * token under another key. So nothing in the database is a usable link, and a resend after a crash
 * carries the same link.
 */

/** How long a link works: a message is often read days later. */
export const FREEZE_LINK_TTL_S = 7 * 24 * 60 * 60;
export const FREEZE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const keys = new Map<string, Buffer>();
const keyFor = (info: string) => {
  let key = keys.get(info);
  if (!key) keys.set(info, (key = Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "vault", info, 32))));
  return key;
};
/** What the database keeps of a token, to find its link. */
export const freezeTokenHash = (token: string) =>
  createHmac("sha256", keyFor("vault freeze link hash v1")).update(token).digest("hex");
/** A link's token, from its id: 43 base64url characters. */
export const freezeTokenFor = (linkId: string) =>
  createHmac("sha256", keyFor("vault freeze link token v1")).update(linkId).digest("base64url");

/** Where a message's text and HTML carry its link until it is sent (lib/notify/worker.ts fills it in). */
export const FREEZE_LINK_PLACEHOLDER = "{{freeze-link}}";
export const withFreezeLink = (body: string, linkId: string | null) =>
  linkId ? body.replaceAll(FREEZE_LINK_PLACEHOLDER, freezeUrl(freezeTokenFor(linkId))) : body;

/** The link's address on this deployment (its first APP_ORIGINS entry). */
export const freezeUrl = (token: string) => `${env.APP_ORIGINS[0]}/freeze/${token}`;

/** A new link for one message, in that message's transaction; returns its id (the token is derived when sent). */
export async function issueFreezeLink(tx: Tx, userId: string, now: Date = new Date()): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await tx.freezeLink.create({
    data: {
      id,
      userId,
      tokenHash: freezeTokenHash(freezeTokenFor(id)),
      expiresAt: new Date(now.getTime() + FREEZE_LINK_TTL_S * 1000),
    },
  });
  return id;
}
