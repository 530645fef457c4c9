import "server-only";
import { db, type Db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError, type DomainErrorCode } from "@/lib/errors";

/**
 * PSD2 RTS Art. 4(3)(b): at most 5 failed authentication attempts in a row before a temporary block,
 * with a warning first. Vault warns from the 3rd failure, and after 5 failures within 15 minutes
 * blocks for 15 minutes. Counts live in the database, so every app instance sees the same numbers.
 * Browsing and cancelling are never blocked.
 */
export const LOCKOUT = { maxFailures: 5, warnAfter: 3, windowS: 15 * 60, blockS: 15 * 60 } as const;
export type LockoutRule = { maxFailures: number; warnAfter: number; windowS: number; blockS: number };

export type LockoutState = { locked: boolean; failures: number; retryAfterS: number };

/**
 * One admitted attempt. Its point was taken before the attempt ran, so at most `maxFailures`
 * attempts are ever evaluated in a window, however many race (PSD2 RTS Art. 4(3)(b) counts attempts,
 * not the failures that happened to be written back in time). Settle it exactly once.
 */
export type Ticket = {
  /** Which attempt of the budget this is, 1…maxFailures. */
  readonly attempt: number;
  /** The attempt failed: the point stays. The state to show: a warning from `warnAfter`, the block at the last. */
  failed(): LockoutState;
  /** The attempt succeeded: the count starts again (the rule is about failures in a row). In `tx` when given, to commit with the success. */
  succeeded(tx?: Tx): Promise<void>;
  /** The attempt wasn't evaluated, or its success says nothing about the others: the point is given back. */
  refund(): Promise<void>;
};
export type Take = { ok: true; ticket: Ticket } | { ok: false; state: LockoutState };

export type Lockout = {
  /** For showing the state (a page, a warning). Never to decide whether an attempt may run: use take. */
  get(key: string): Promise<LockoutState>;
  /** Takes a point before the work; refused once the budget is spent (the block runs). */
  take(key: string): Promise<Take>;
  /** Starts the count again (a success elsewhere, e.g. a password change). */
  clear(key: string): Promise<void>;
};

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === "P2002";

/**
 * An attempt budget kept in the database (the RateLimiterFlexible table; keys are `prefix:key`, as
 * rate-limiter-flexible wrote them, so rows from before carry over). Keys are whatever the caller counts
 * by (a user id, an email, an IP, an API client).
 *
 * Why not rate-limiter-flexible's RateLimiterPrisma any more: its consume is one atomic upsert
 * (`INSERT … ON CONFLICT DO UPDATE SET points = points + 1`, checked on SQLite and PostgreSQL), but it
 * counts over the budget (a refused call still adds a point, so giving points back on success can't
 * be exact) and resets an expired window in a separate statement first. Here every decision is one
 * conditional write whose WHERE restates the premise it was made on (`points < max`, "expired",
 * "absent" via the primary key). PostgreSQL re-checks an UPDATE's WHERE on the row it waited for
 * (READ COMMITTED), SQLite runs one writer at a time: two racing takes can't both get the last
 * point, on one instance or many. A write that finds the premise gone reads again.
 */
export function createLockout(keyPrefix: string, rule: LockoutRule = LOCKOUT, client: Db = db): Lockout {
  const store = client.rateLimiterFlexible;
  const max = rule.maxFailures;
  const keyOf = (key: string) => `${keyPrefix}:${key}`;
  // Never more than the longest wait the rule sets: a racing take may have read its clock a moment
  // before the one that started the block did, and must not say 61 s for a 60 s block.
  const longestS = Math.max(rule.windowS, rule.blockS);
  const retryAfterS = (expire: Date | null, now = Date.now()) =>
    expire ? Math.min(longestS, Math.max(0, Math.ceil((expire.getTime() - now) / 1000))) : 0;

  const get = async (key: string): Promise<LockoutState> => {
    const row = await store.findUnique({ where: { key: keyOf(key) } });
    if (!row?.expire || row.expire.getTime() <= Date.now()) return { locked: false, failures: 0, retryAfterS: 0 };
    return { locked: row.points >= max, failures: row.points, retryAfterS: retryAfterS(row.expire) };
  };

  const ticket = (k: string, attempt: number, expire: Date): Ticket => ({
    attempt,
    failed: () => ({ locked: attempt >= max, failures: attempt, retryAfterS: retryAfterS(expire) }),
    succeeded: (tx) => (tx ? tx.rateLimiterFlexible : store).deleteMany({ where: { key: k } }).then(() => undefined),
    refund: () =>
      store
        .updateMany({ where: { key: k, points: { gt: 0 } }, data: { points: { decrement: 1 } } })
        .then(() => undefined),
  });

  async function take(key: string): Promise<Take> {
    const k = keyOf(key);
    for (let round = 0; round < 8; round++) {
      const now = new Date();
      // The first round assumes the common case, nothing on record (a success deletes the row), and
      // takes the first point with one INSERT; a row already there makes it read and decide.
      const row = round === 0 ? null : await store.findUnique({ where: { key: k } });
      const live = !!row?.expire && row.expire > now;
      if (row && live && row.points >= max)
        return {
          ok: false,
          state: { locked: true, failures: row.points, retryAfterS: retryAfterS(row.expire, now.getTime()) },
        };
      let attempt: number;
      let expire = new Date(now.getTime() + rule.windowS * 1000);
      if (!row) {
        try {
          await store.create({ data: { key: k, points: 1, expire } });
        } catch (err) {
          if (isUniqueViolation(err)) continue; // there already (or another take just made it): read it
          throw err;
        }
        attempt = 1;
      } else if (!live) {
        // A window that ended starts again; only one racing take can move it (its WHERE fails for the rest).
        const { count } = await store.updateMany({
          where: { key: k, OR: [{ expire: null }, { expire: { lte: now } }] },
          data: { points: 1, expire },
        });
        if (count === 0) continue;
        attempt = 1;
      } else {
        const [taken] = await store.updateManyAndReturn({
          where: { key: k, expire: { gt: now }, points: { lt: max } },
          data: { points: { increment: 1 } },
        });
        if (!taken) continue;
        attempt = taken.points;
        expire = taken.expire ?? expire;
      }
      if (attempt >= max) {
        // The last attempt of the budget: the block runs from here, whatever it turns out to be.
        expire = new Date(now.getTime() + rule.blockS * 1000);
        await store.updateMany({ where: { key: k, points: { gte: max } }, data: { expire } });
      }
      return { ok: true, ticket: ticket(k, attempt, expire) };
    }
    // Only a storm of concurrent writers gets here; fail closed, never let the attempt run uncounted.
    throw new Error(`lockout ${keyPrefix}: the counter kept changing; try again`);
  }

  return { get, take, clear: (key) => store.deleteMany({ where: { key: keyOf(key) } }).then(() => undefined) };
}

export type RateLimit = {
  /** Counts one request before its work; refused (with how long to wait) once `max` were made in the window. */
  take(key: string): Promise<{ ok: true } | { ok: false; retryAfterS: number }>;
};

/**
 * A plain request budget on the same store: `max` per `windowS`, every request counted, none given
 * back; the `max`-th starts a pause of `windowS`. For things that cost Vault work or rows whoever asks
 * (access tokens minted, intents stored), not for authentication failures.
 */
export function createRateLimit(keyPrefix: string, limit: { max: number; windowS: number }): RateLimit {
  const lockout = createLockout(keyPrefix, {
    maxFailures: limit.max,
    warnAfter: limit.max,
    windowS: limit.windowS,
    blockS: limit.windowS,
  });
  return {
    async take(key) {
      const taken = await lockout.take(key);
      return taken.ok ? { ok: true } : { ok: false, retryAfterS: Math.max(1, taken.state.retryAfterS) };
    },
  };
}

/** A request over its budget: the API answers 429 with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3), a page shows the message. */
export class RateLimited extends DomainError {
  constructor(
    code: DomainErrorCode,
    userMessage: string,
    readonly retryAfterS: number,
  ) {
    super(code, userMessage);
    this.name = "RateLimited";
  }
}

/**
 * Access tokens an API client may mint (both grants together): a well-behaved client needs one per
 * token lifetime (10 minutes) plus one per confirmed step-up; 20 a minute leaves room for retries
 * and stops a leaked or looping client from filling the token table.
 */
export const tokenMintLimit = createRateLimit("token-mint", { max: 20, windowS: 60 });
/**
 * Step-up intents a customer's API clients may have made in an intent's lifetime (lib/assurance/
 * intents.ts): each is a stored row and a pending confirmation, and every RFC 9470 401 makes one.
 * 30 per lifetime means at most 60 are ever live at once.
 */
export const intentLimit = createRateLimit("intents", { max: 30, windowS: env.STEP_UP_INTENT_TTL_S });

/** Failed step-up confirmations (passkey assertions and IdP step-ups alike), per user (not per intent, so a new intent doesn't reset it). */
export const stepUpLockout = createLockout("stepup");
/** Failed password re-entries by a signed-in user (first-passkey bootstrapping, password change). */
export const passwordLockout = createLockout("reauth");

export const lockedMessage = (s: LockoutState, what = "Passkey confirmation") =>
  `Too many failed attempts. ${what} is paused for ${Math.ceil(s.retryAfterS / 60)} minute(s).`;
