import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import type { PolicyAction } from "@/lib/assurance/policy";
import { FLASH, FLASH_COOKIE, type FlashKey } from "@/lib/flash";
import { OPERATIONS } from "@/lib/operations";

/**
 * Leaves a confirmation for the Toaster: a key of FLASH, or a policy action, whose operation's own
 * `success` is the message. Readable by the page's script (it deletes the cookie once shown) and gone
 * within a minute if it never is; it carries a message key, nothing about the customer.
 */
export async function setFlash(key: FlashKey | PolicyAction): Promise<void> {
  (await cookies()).set(FLASH_COOKIE, `${key}.${randomBytes(4).toString("hex")}`, {
    path: "/",
    maxAge: 60,
    sameSite: "lax",
    httpOnly: false,
  });
}

/** Every message a flash key can show, for the Toaster (the root layout passes it down). */
export function flashMessages(): Record<string, string> {
  return { ...FLASH, ...Object.fromEntries(Object.entries(OPERATIONS).map(([action, op]) => [action, op.success])) };
}
