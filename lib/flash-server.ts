import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { FLASH_COOKIE, type FlashKey } from "@/lib/flash";

/**
 * Leaves a confirmation for the Toaster. Readable by the page's script (it deletes the cookie once
 * shown) and gone within a minute if it never is; it carries a message key, nothing about the customer.
 */
export async function setFlash(key: FlashKey): Promise<void> {
  (await cookies()).set(FLASH_COOKIE, `${key}.${randomBytes(4).toString("hex")}`, {
    path: "/",
    maxAge: 60,
    sameSite: "lax",
    httpOnly: false,
  });
}
