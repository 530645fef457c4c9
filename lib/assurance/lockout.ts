import "server-only";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { db } from "@/lib/db";

/**
 * PSD2 RTS Art. 4(3)(b): at most 5 failed authentication attempts in a row before a temporary block,
 * with a warning first. Vault warns from the 3rd failure, and after 5 failures within 15 minutes
 * blocks for 15 minutes. Counts live in the database (rate-limiter-flexible's Prisma store), so every
 * app instance sees the same numbers. Browsing and cancelling are never blocked.
 */
export const LOCKOUT = { maxFailures: 5, warnAfter: 3, windowS: 15 * 60, blockS: 15 * 60 } as const;
export type LockoutRule = { maxFailures: number; warnAfter: number; windowS: number; blockS: number };

export type LockoutState = { locked: boolean; failures: number; retryAfterS: number };

export type Lockout = {
  get(userId: string): Promise<LockoutState>;
  /** Counts one failure; the 5th starts a 15-minute block. Returns the new state. */
  recordFailure(userId: string): Promise<LockoutState>;
  /** A success starts the count again. */
  clear(userId: string): Promise<void>;
};

/** A failure counter with a block, kept in the database. Keys are whatever the caller counts by (a user id, an email, an IP). */
export function createLockout(keyPrefix: string, rule: LockoutRule = LOCKOUT): Lockout {
  const limiter = new RateLimiterPrisma({
    storeClient: db,
    tableName: "rateLimiterFlexible", // the Prisma client's model accessor
    keyPrefix,
    points: rule.maxFailures,
    duration: rule.windowS,
    clearExpiredByTimeout: false,
  });
  const get = async (userId: string): Promise<LockoutState> => {
    const res = await limiter.get(userId);
    if (!res) return { locked: false, failures: 0, retryAfterS: 0 };
    const failures = res.consumedPoints;
    return { locked: failures >= rule.maxFailures && res.msBeforeNext > 0, failures, retryAfterS: Math.ceil(res.msBeforeNext / 1000) };
  };
  return {
    get,
    async recordFailure(userId) {
      try {
        const res = await limiter.consume(userId, 1);
        if (res.consumedPoints >= rule.maxFailures) await limiter.block(userId, rule.blockS);
      } catch (err) {
        // consume rejects with a RateLimiterRes (not an Error) once the budget is spent: already
        // blocked. A real error (the database) must not be swallowed: the lockout fails closed.
        if (err instanceof Error) throw err;
      }
      return get(userId);
    },
    clear: (userId) => limiter.delete(userId).then(() => undefined),
  };
}

/** Failed passkey step-up assertions, per user (not per intent, so a new intent doesn't reset it). */
export const stepUpLockout = createLockout("stepup");
/** Failed password re-entries by a signed-in user (first-passkey bootstrapping, password change). */
export const passwordLockout = createLockout("reauth");

export const lockedMessage = (s: LockoutState, what = "Passkey confirmation") =>
  `Too many failed attempts. ${what} is paused for ${Math.ceil(s.retryAfterS / 60)} minute(s).`;
