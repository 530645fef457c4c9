import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { ThemeSwitch } from "@/app/_components/theme-switch";
import { TimeZoneCookie } from "@/app/_components/time-zone-cookie";
import { Toaster } from "@/app/_components/toaster";
import { FLASH_COOKIE } from "@/lib/flash";
import { flashMessages } from "@/lib/flash-server";
import { THEME_COOKIE, parseTheme } from "@/lib/theme";
import "./globals.css";
import { BRAND } from "@/lib/brand";

export const metadata: Metadata = {
  title: { default: BRAND.name, template: `%s · ${BRAND.name}` },
  description: `${BRAND.name}: ${BRAND.description.charAt(0).toLowerCase()}${BRAND.description.slice(1)}`,
};

const FLASH_MESSAGES = flashMessages();

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so each gets its own CSP nonce (proxy.ts); none is prerendered.
  await connection();
  // A chosen scheme is rendered into the HTML, so the first paint is already right; "system" is CSS's.
  const jar = await cookies();
  const theme = parseTheme(jar.get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body className="flex min-h-screen flex-col bg-slate-50 font-sans text-slate-900 antialiased">
        <div className="flex-1">{children}</div>
        <footer className="flex items-center justify-end gap-2 px-4 py-3 text-xs text-slate-600">
          <ThemeSwitch />
        </footer>
        <Toaster flash={jar.get(FLASH_COOKIE)?.value} messages={FLASH_MESSAGES} />
        <TimeZoneCookie />
      </body>
    </html>
  );
}
