import "server-only";
import { env } from "@/lib/env";

/** The relying party, from validated env only: never from the Host header (a forged Host can't move it). */
export const rp = {
  id: env.WEBAUTHN_RP_ID,
  name: env.WEBAUTHN_RP_NAME,
  origins: env.WEBAUTHN_ORIGINS,
} as const;

/** How long the browser ceremony may take, and the server challenge live. */
export const CEREMONY_TIMEOUT_MS = 60_000;
export const CHALLENGE_TTL_MS = 2 * 60_000;
