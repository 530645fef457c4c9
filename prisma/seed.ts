/**
 * Demo data: two customers with accounts, balances and a few weeks of history. Idempotent: users
 * that already exist are left alone. Passwords are in the README.
 */
import path from "node:path";
import type { Db } from "../lib/db";
import type { Currency } from "../lib/money";

export const DEMO_USERS = [
  { name: "Alice Archer", email: "alice@example.com", password: "demo-password-alice" },
  { name: "Bob Brennan", email: "bob@example.com", password: "demo-password-bob" },
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export async function seed(db: Db, now = new Date()) {
  const { hashPassword } = await import("../lib/auth/password");
  const { openDefaultAccounts } = await import("../lib/banking/accounts");
  const { postTransfer } = await import("../lib/banking/ledger");

  for (const [index, demo] of DEMO_USERS.entries()) {
    if (await db.user.findUnique({ where: { email: demo.email } })) continue;
    const passwordHash = await hashPassword(demo.password);
    await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { name: demo.name, email: demo.email, passwordHash, createdAt: new Date(now.getTime() - 40 * DAY_MS) },
      });
      const [checking, savings] = await openDefaultAccounts(tx, user.id, new Date(now.getTime() - 35 * DAY_MS));
      // Weekly moves between the two accounts, varied so balances and charts look alive.
      for (let week = 4; week >= 1; week--) {
        const at = new Date(now.getTime() - week * 7 * DAY_MS + index * 3_600_000);
        const toSavings = BigInt(15_000 + week * 2_500 + index * 1_000);
        await postTransfer(tx, {
          userId: user.id,
          fromAccountId: checking.id,
          toAccountId: savings.id,
          amount: toSavings,
          currency: checking.currency as Currency,
          idempotencyKey: `seed:${week}:to-savings`,
          memo: "Weekly savings",
          at,
        });
        if (week % 2 === 0) {
          await postTransfer(tx, {
            userId: user.id,
            fromAccountId: savings.id,
            toAccountId: checking.id,
            amount: BigInt(40_000 + index * 5_000),
            currency: savings.currency as Currency,
            idempotencyKey: `seed:${week}:to-checking`,
            memo: "Top up for bills",
            at: new Date(at.getTime() + 2 * DAY_MS),
          });
        }
      }
    });
    console.log(`seed: created ${demo.email}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { loadEnvFiles } = await import("./tools/load-env");
  loadEnvFiles();
  const { db } = await import("../lib/db");
  await seed(db);
  await db.$disconnect();
}
