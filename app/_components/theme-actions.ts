"use server";

import { cookies } from "next/headers";
import { isFormData } from "@/app/_lib/action-state";
import { THEME_COOKIE, parseTheme } from "@/lib/theme";

/**
 * Remembers the colour scheme for a year. Public (it changes only how pages look), and an unknown
 * value means "system". Setting a cookie in an action makes Next render the current page again, so
 * it works without JavaScript too.
 */
export async function setThemeAction(formData: FormData): Promise<void> {
  const theme = parseTheme(isFormData(formData) ? formData.get("theme") : null);
  const jar = await cookies();
  if (theme === "system") jar.delete(THEME_COOKIE);
  else jar.set(THEME_COOKIE, theme, { path: "/", maxAge: 365 * 24 * 60 * 60, sameSite: "lax", httpOnly: true });
}
