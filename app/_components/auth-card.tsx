import { Logo } from "./logo";
import type { ReactNode } from "react";

/**
 * Laid out from the top down, not centred in the viewport: a page that arrives in pieces (a slow
 * connection streams the HTML) only grows below what is already shown, instead of jumping up as the
 * rest arrives (e2e/layout-stability.spec.ts, "on a slow connection").
 */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main className="mx-auto flex max-w-md flex-col px-6 pt-12 pb-12 sm:pt-[12vh]">
      <div className="mb-6">
        <Logo />
      </div>
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-6 text-2xl font-semibold tracking-tight">{title}</h1>
        {children}
      </div>
      <p className="mt-6 text-center text-sm text-slate-600">{footer}</p>
    </main>
  );
}
