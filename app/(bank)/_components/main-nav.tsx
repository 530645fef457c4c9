"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** Every signed-in page, and which paths count as being "on" it (a receipt is under Move money). */
const ITEMS = [
  { href: "/dashboard", label: "Accounts", short: "Accounts", on: ["/dashboard", "/accounts/"] },
  { href: "/transfers/new", label: "Move money", short: "Move", on: ["/transfers/"] },
  { href: "/payees", label: "Payees", short: "Payees", on: ["/payees"] },
  { href: "/activity", label: "Activity log", short: "Activity", on: ["/activity"] },
  { href: "/settings/payout", label: "Payout", short: "Payout", on: ["/settings/payout"] },
  { href: "/settings/security", label: "Security", short: "Security", on: ["/settings/security"] },
] as const;

/**
 * The main navigation: one <nav>, inline in the header from md up, and a bottom tab bar on a phone,
 * where every page fits at 360 px with no scrolling and the current page is marked (aria-current,
 * a bar and bold text), so nothing is hidden behind an edge.
 */
export function MainNav() {
  const pathname = usePathname();
  return (
    <nav
      aria-label="Main"
      data-tab-bar
      className="text-sm font-medium text-slate-700 max-md:fixed max-md:inset-x-0 max-md:bottom-0 max-md:z-30 max-md:border-t max-md:border-slate-200 max-md:bg-white max-md:pb-[env(safe-area-inset-bottom)] print:hidden"
    >
      <ul className="flex gap-x-4 max-md:grid max-md:grid-cols-6 max-md:gap-0">
        {ITEMS.map((item) => {
          const current = item.on.some((p) =>
            p.endsWith("/") ? pathname.startsWith(p) : pathname === p || pathname.startsWith(`${p}/`),
          );
          return (
            <li key={item.href} className="max-md:min-w-0">
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                aria-label={item.label}
                className="block whitespace-nowrap hover:text-accent-700 aria-[current=page]:text-accent-700 md:py-1 md:aria-[current=page]:underline md:aria-[current=page]:decoration-2 md:aria-[current=page]:underline-offset-8 max-md:flex max-md:min-h-14 max-md:flex-col max-md:items-center max-md:justify-center max-md:border-t-2 max-md:border-transparent max-md:px-0.5 max-md:text-xs max-md:aria-[current=page]:border-accent-600 max-md:aria-[current=page]:font-semibold"
              >
                <span className="md:hidden">{item.short}</span>
                <span className="max-md:hidden">{item.label}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
