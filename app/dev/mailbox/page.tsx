import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header";
import { devMailboxEnabled, listDevMailbox } from "@/lib/notify/dev-mailbox";

export const metadata: Metadata = { title: "Development mailbox", robots: { index: false, follow: false } };

/**
 * Development only (lib/notify/dev-mailbox.ts): the security messages Vault queued, newest first, as
 * their recipients would read them: the plain-text part, and the HTML part in a sandboxed frame
 * (no scripts, no same-origin access). A 404 in production.
 */
export default async function DevMailboxPage() {
  if (!devMailboxEnabled()) notFound();
  const mail = await listDevMailbox();
  return (
    <main className="mx-auto max-w-4xl space-y-6 px-4 py-8">
      <PageHeader
        title="Development mailbox"
        description="Every security message Vault queued, newest first. Never available in production."
      />
      {mail.length === 0 && <p className="text-sm text-slate-600">No messages yet.</p>}
      {mail.map((m) => (
        <article
          key={m.id}
          className="space-y-2 rounded-2xl border border-slate-200 bg-white p-4"
          data-testid="dev-mail"
        >
          <header className="text-sm">
            <p className="font-semibold">{m.subject}</p>
            <p className="text-slate-600">
              To {m.to} · {m.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC ·{" "}
              {m.sentAt ? "delivered over SMTP" : "not sent (no SMTP_URL)"}
            </p>
          </header>
          <iframe
            title={`HTML part: ${m.subject}`}
            sandbox=""
            srcDoc={m.html}
            className="h-72 w-full rounded border border-slate-200 bg-white"
          />
          <details className="text-sm">
            <summary className="cursor-pointer">Plain-text part</summary>
            <pre className="mt-2 whitespace-pre-wrap">{m.text}</pre>
          </details>
        </article>
      ))}
    </main>
  );
}
