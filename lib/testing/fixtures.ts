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
