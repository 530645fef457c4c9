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
  const { openDefaultAccounts } = await import("../lib/banking/opening");
  const { ensureInternalAccount, INTERNAL, postTransfer } = await import("../lib/banking/ledger");

  for (const [index, demo] of DEMO_USERS.entries()) {
    if (await db.user.findUnique({ where: { email: demo.email } })) continue;
    const passwordHash = await hashPassword(demo.password);
    await db.$transaction(async (tx) => {
      // Customers of some weeks' standing: their set-up is history, not a change of the last 24 hours
      // (the risk signals, lib/risk), so the demo shows the usual prompts, not a new customer's.
      const joined = new Date(now.getTime() - 40 * DAY_MS);
      const setUp = new Date(now.getTime() - 30 * DAY_MS);
      const user = await tx.user.create({
        data: { name: demo.name, email: demo.email, passwordHash, createdAt: joined, passwordChangedAt: joined },
      });
      const [checking, savings] = await openDefaultAccounts(tx, user.id, new Date(now.getTime() - 35 * DAY_MS));
      // Payees: two already paid, one still "new" (policies treat new payees as risky).
      const acme = await tx.payee.create({
        data: { userId: user.id, name: "ACME Ltd", iban: "GB82WEST12345698765432", currency: "USD", createdAt: setUp },
      });
      const power = await tx.payee.create({
        data: {
          userId: user.id,
          name: "City Power & Light",
          routingCode: "021000021",
          accountNumber: "40031277",
          currency: "USD",
          createdAt: setUp,
        },
      });
      await tx.payee.create({
        data: {
          userId: user.id,
          name: "Jordan Lee",
          iban: "DE89370400440532013000",
          currency: "USD",
          createdAt: setUp,
        },
      });
      await tx.payoutDestination.create({
        data: {
          userId: user.id,
          holderName: demo.name,
          routingCode: "011000015",
          accountNumber: `7700${index}1234`,
          createdAt: setUp,
          updatedAt: setUp,
        },
      });
      const settlement = await ensureInternalAccount(
        tx,
        INTERNAL.SETTLEMENT("USD"),
        "Outgoing payments (settlement)",
        "USD",
      );
      const move = (from: string, to: string, cents: number, memo: string, at: Date, payeeId?: string) =>
        postTransfer(tx, {
          userId: user.id,
          fromAccountId: from,
          toAccountId: to,
          payeeId,
          amount: BigInt(cents),
          currency: checking.currency as Currency,
          idempotencyKey: `seed:${at.getTime()}:${memo}`,
          memo,
          at,
        });
      // About five weeks of varied history.
      for (let week = 4; week >= 1; week--) {
        const at = new Date(now.getTime() - week * 7 * DAY_MS + index * 3_600_000);
        await move(checking.id, savings.id, 15_000 + week * 2_500 + index * 1_000, "Weekly savings", at);
        await move(
          checking.id,
          settlement.id,
          4_250 + week * 375,
          "Groceries via ACME",
          new Date(at.getTime() + DAY_MS),
          acme.id,
        );
        if (week % 2 === 0) {
          await move(
            savings.id,
            checking.id,
            40_000 + index * 5_000,
            "Top up for bills",
            new Date(at.getTime() + 2 * DAY_MS),
          );
          await move(
            checking.id,
            settlement.id,
            11_873 + index * 911,
            "Electricity bill",
            new Date(at.getTime() + 3 * DAY_MS),
            power.id,
          );
        }
      }
      const firstPaid = new Date(now.getTime() - 27 * DAY_MS);
      await tx.payee.updateMany({ where: { id: { in: [acme.id, power.id] } }, data: { firstPaidAt: firstPaid } });
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
