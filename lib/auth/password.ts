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

/**
 * How many argon2 verifications this process has run. The timing tests compare it for a known and an
 * unknown account (lib/auth/sign-in-timing.test.ts): equal work can be asserted exactly, where
 * timings can only be compared within noise.
 */
export const argon2Work = { verifications: 0 };

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  argon2Work.verifications++;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash is a failed check, never a crash
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * For unknown emails: spend the same argon2 work as a real check, so response time does not reveal
 * whether an account exists. The dummy hash is made with the same parameters as real ones, once.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword("vault-dummy-password-for-timing");
  await verifyPassword(await dummyHash, password);
  return false;
}
