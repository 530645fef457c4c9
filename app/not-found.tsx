import Link from "next/link";
import { buttonClass } from "@/app/_components/button";
import { BRAND } from "@/lib/brand";

/** Any page that doesn't exist, or that isn't the visitor's to see: the same plain 404, in Vault's own words. */
export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg space-y-4 px-4 py-16" data-testid="not-found">
      <h1 className="text-2xl font-semibold tracking-tight">This page isn&apos;t here</h1>
      <p className="text-slate-600">The address may be mistyped, or the page was moved. Nothing was changed.</p>
      <Link href="/" className={buttonClass("primary", "md")}>
        Go to {BRAND.name}
      </Link>
    </main>
  );
}
