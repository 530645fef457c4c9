import "server-only";
import { hash, verify } from "@node-rs/argon2";

/** Algorithm.Argon2id. It is an ambient const enum, which isolatedModules can't read, hence the value. */
const ARGON2ID = 2;
/**
 * argon2id with OWASP's first recommended profile (m = 19 MiB, t = 2, p = 1). The PHC string stores
 * the parameters and salt, so they can be raised later and old hashes still verify.
 */
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash is a failed check, never a crash
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * For unknown emails: spend the same argon2 work as a real check, so response time does not reveal
 * whether an account exists.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword("vault-dummy-password-for-timing");
  await verifyPassword(await dummyHash, password);
  return false;
}
