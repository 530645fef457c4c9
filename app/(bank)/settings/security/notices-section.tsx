import { Badge } from "@/app/_components/badge";
import { EmptyState } from "@/app/_components/empty-state";
import { getTimeZone } from "@/app/_components/when";
import type { NoticePreference, NoticeView } from "@/lib/notify/my-notices";
import { formatWhen } from "@/lib/time-zone";
import { MarkReadForm, NoticePreferencesForm } from "./notice-forms";

/**
 * The security notifications: every event Vault emailed about (or would have, had the email not been
 * switched off), newest first, unread ones marked; and which of them come by email.
 */
export async function NoticesSection({
  notices,
  unread,
  preferences,
}: {
  notices: NoticeView[];
  unread: number;
  preferences: NoticePreference[];
}) {
  const zone = await getTimeZone();
  return (
    <section className="space-y-3" aria-labelledby="notices-heading" id="notifications">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="notices-heading" className="text-lg font-semibold">
          Notifications{" "}
          {unread > 0 && (
            <Badge tone="warning" className="ml-1 align-middle">
              <span data-testid="unread-count">{unread}</span> unread
            </Badge>
          )}
        </h2>
        {unread > 0 && <MarkReadForm />}
      </div>
      {notices.length === 0 ? (
        <EmptyState testId="no-notices">
          Nothing yet. We&apos;ll tell you here and by email about every security change.
        </EmptyState>
      ) : (
        <ul
          className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white"
          aria-label="Notifications"
        >
          {notices.map((n) => (
            <li key={n.id} className="px-4 py-3 text-sm" data-testid="notice" data-unread={n.unread || undefined}>
              <p className={n.unread ? "font-semibold" : ""}>
                {n.unread && <span className="sr-only">Unread: </span>}
                {n.text}
              </p>
              <p className="text-slate-600">
                {formatWhen(n.createdAt, zone)}
                {n.device ? ` · ${n.device}` : ""}
                {n.ip ? ` · ${n.ip}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      <NoticePreferencesForm preferences={preferences} />
    </section>
  );
}
