import Link from "next/link";
import { BRAND } from "@/lib/brand";

/** The bank's mark and name, linking home. The mark takes the accent colour, so it follows a rebrand and dark mode. */
export function Logo({ href = "/" }: { href?: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-2 font-semibold tracking-tight text-accent-700">
      <svg viewBox="0 0 32 32" aria-hidden="true" className="size-6 shrink-0">
        <rect width="32" height="32" rx="7" className="fill-accent-600" />
        <path
          d="M9 10l7 13 7-13"
          fill="none"
          className="stroke-white"
          strokeWidth="3.2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      {BRAND.name}
    </Link>
  );
}
