import "server-only";
import { db } from "@/lib/db";
import { CHALLENGE_TTL_MS } from "@/lib/webauthn/config";

/** A step-up's challenge lives on its intent instead (lib/assurance/intents.ts issueChallenge). */
export type ChallengePurpose = "REGISTER" | "SIGN_IN";

/** Stores a server-side challenge. For a user+purpose only the newest one is live. */
export async function storeChallenge(input: {
  userId: string | null;
  purpose: ChallengePurpose;
  challenge: string;
  ttlMs?: number;
  /** A registration that asks for the SPC payment extension (lib/webauthn/registration.ts). */
  payment?: boolean;
}) {
  if (input.userId) {
    await db.webAuthnChallenge.deleteMany({ where: { userId: input.userId, purpose: input.purpose } });
  }
  await db.webAuthnChallenge.create({
    data: {
      userId: input.userId,
      purpose: input.purpose,
      challenge: input.challenge,
      payment: input.payment ?? false,
      expiresAt: new Date(Date.now() + (input.ttlMs ?? CHALLENGE_TTL_MS)),
    },
  });
}

/**
 * Takes (deletes) a challenge: single-use whatever the outcome, so a replayed response finds nothing.
 * Returns null when there is none, it expired, or a concurrent request took it first.
 */
export async function takeChallenge(where: { userId?: string | null; purpose: ChallengePurpose; challenge?: string }) {
  const row = await db.webAuthnChallenge.findFirst({
    where: {
      purpose: where.purpose,
      ...(where.userId !== undefined ? { userId: where.userId } : {}),
      ...(where.challenge !== undefined ? { challenge: where.challenge } : {}),
    },
    orderBy: { createdAt: "desc" },
  });
  if (!row) return null;
  const taken = await db.webAuthnChallenge.deleteMany({ where: { id: row.id } });
  if (taken.count !== 1 || row.expiresAt <= new Date()) return null;
  return row;
}

/** The challenge a response claims to answer, read from its clientDataJSON (not yet trusted). */
export function challengeOfResponse(response: { response?: { clientDataJSON?: unknown } }): string | null {
  return clientDataOf(response).challenge;
}

/**
 * What a response's clientDataJSON claims (not yet trusted: the signature covers it, and is checked
 * later): the challenge, the ceremony's `type`, and the clientDataJSON itself, base64url.
 */
export function clientDataOf(response: { response?: { clientDataJSON?: unknown } } | null | undefined): {
  challenge: string | null;
  type: string | null;
  clientDataJSON: string;
} {
  const clientDataJSON = String(response?.response?.clientDataJSON ?? "");
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === "string" && v.length <= 256 ? v : null);
    return { challenge: text(data.challenge), type: text(data.type), clientDataJSON };
  } catch {
    return { challenge: null, type: null, clientDataJSON };
  }
}
