/**
 * Named fixtures for lib/ integration tests: the data a test needs, made directly in the database
 * where the test isn't about the code that normally makes it.
 */
import { randomUUID } from "node:crypto";
import { SoftAuthenticator } from "./soft-authenticator";

type Db = typeof import("@/lib/db").db;

/** A passkey for `userId`, held by a new software authenticator that can sign real assertions with it. */
export async function addPasskey(db: Db, userId: string, nickname: string): Promise<SoftAuthenticator> {
  const key = new SoftAuthenticator();
  await db.passkey.create({
    data: {
      id: key.credentialId,
      userId,
      publicKey: new Uint8Array(key.cosePublicKey),
      deviceType: "singleDevice",
      nickname,
    },
  });
  return key;
}

export type CustomerWithPasskey = { userId: string; email: string; key: SoftAuthenticator };

/** A customer (no password anyone could use, no accounts) with one passkey held by a software authenticator. */
export async function customerWithPasskey(db: Db, name = "Alice"): Promise<CustomerWithPasskey> {
  const email = `${name.toLowerCase()}-${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name, passwordHash: "x" } });
  const key = await addPasskey(db, user.id, `${name}'s key`);
  return { userId: user.id, email, key };
}

export type SignedUpCustomer = CustomerWithPasskey & { accountIds: string[] };

/**
 * A customer made through sign-up itself (a real argon2id password, the default accounts with their
 * opening deposits) plus one passkey held by a software authenticator: for tests that move money.
 */
export async function signedUpCustomerWithPasskey(db: Db, name = "Alice"): Promise<SignedUpCustomer> {
  const users = await import("@/lib/auth/users");
  const email = `${name.toLowerCase().replace(/[^a-z]/g, "") || "customer"}-${randomUUID()}@example.com`;
  const user = await users.createUser(users.signUpSchema.parse({ name, email, password: "a long test passphrase" }));
  const key = await addPasskey(db, user.id, `${name}'s key`);
  const accounts = await db.account.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  return { userId: user.id, email: user.email, key, accountIds: accounts.map((a) => a.id) };
}

/**
 * Moves a customer's set-up `days` into the past (sign-up, passkeys, payees, payout destination), as
 * for a customer of some standing: with the default 2 days, past the risk signals' 24-hour window of
 * recent security changes, and short of the 7 days that make a payee regular enough for the TRA
 * exemption (lib/risk/thresholds.ts). Tests about the exemptions start from here.
 */
export async function settle(db: Db, userId: string, days = 2): Promise<void> {
  const back = (d: Date) => new Date(d.getTime() - days * 24 * 60 * 60 * 1000);
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { createdAt: true, passwordChangedAt: true },
  });
  await db.user.update({
    where: { id: userId },
    data: { createdAt: back(user.createdAt), passwordChangedAt: back(user.passwordChangedAt) },
  });
  for (const p of await db.passkey.findMany({ where: { userId }, select: { id: true, createdAt: true } }))
    await db.passkey.update({ where: { id: p.id }, data: { createdAt: back(p.createdAt) } });
  for (const p of await db.payee.findMany({ where: { userId }, select: { id: true, createdAt: true } }))
    await db.payee.update({ where: { id: p.id }, data: { createdAt: back(p.createdAt) } });
  const payout = await db.payoutDestination.findUnique({ where: { userId }, select: { updatedAt: true } });
  if (payout) await db.payoutDestination.update({ where: { userId }, data: { updatedAt: back(payout.updatedAt) } });
}
