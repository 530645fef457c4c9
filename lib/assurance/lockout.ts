import "server-only";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { db } from "@/lib/db";

/**
 * PSD2 RTS Art. 4(3)(b): at most 5 failed authentication attempts in a row before a temporary block,
 * with a warning first. Vault warns from the 3rd failure, and after 5 failures within 15 minutes
 * blocks step-up for 15 minutes. Counts live in the database (rate-limiter-flexible's Prisma store),
 * so every app instance sees the same numbers. Browsing and cancelling are never blocked.
 */
export const LOCKOUT = { maxFailures: 5, warnAfter: 3, windowS: 15 * 60, blockS: 15 * 60 } as const;

const limiter = new RateLimiterPrisma({
  storeClient: db,
  tableName: "rateLimiterFlexible", // the Prisma client's model accessor
  keyPrefix: "stepup",
  points: LOCKOUT.maxFailures,
  duration: LOCKOUT.windowS,
  clearExpiredByTimeout: false,
});

export type LockoutState = { locked: boolean; failures: number; retryAfterS: number };

export async function getLockout(userId: string): Promise<LockoutState> {
  const res = await limiter.get(userId);
  if (!res) return { locked: false, failures: 0, retryAfterS: 0 };
  const failures = res.consumedPoints;
  const locked = failures >= LOCKOUT.maxFailures && res.msBeforeNext > 0;
  return { locked, failures, retryAfterS: Math.ceil(res.msBeforeNext / 1000) };
}

/** Counts one failure; the 5th starts a 15-minute block. Returns the new state. */
export async function recordFailure(userId: string): Promise<LockoutState> {
  try {
    const res = await limiter.consume(userId, 1);
    if (res.consumedPoints >= LOCKOUT.maxFailures) await limiter.block(userId, LOCKOUT.blockS);
  } catch {
    // consume rejects once the budget is spent: the user is already blocked.
  }
  return getLockout(userId);
}

/** A successful step-up starts the count again. */
export async function clearFailures(userId: string): Promise<void> {
  await limiter.delete(userId);
}
