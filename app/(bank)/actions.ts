"use server";

import { signOut } from "@/lib/auth/config";

/**
 * Signs out: Auth.js clears the cookie and its signOut event ends the server-side session and audits
 * it (lib/auth/config.ts), the same as for any other way to sign out. Without a session it only
 * goes to the login page.
 */
export async function signOutAction() {
  await signOut({ redirectTo: "/login?signed_out=1" }); // the login page says so
}
