import { Badge } from "@/app/_components/badge";
import type { SessionView } from "@/lib/auth/session-records";
import { getTimeZone } from "@/app/_components/when";
import { formatWhen } from "@/lib/time-zone";
import { revokeOtherSessionsAction, revokeSessionAction } from "./actions";

/** Where you're signed in (OWASP ASVS 5 V7.5.2): each can be ended, and ends on its next request. */
export async function SessionList({ sessions }: { sessions: SessionView[] }) {
  const zone = await getTimeZone();
  const when = (d: Date) => formatWhen(d, zone);
  return (
    <div className="space-y-3">
      <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" aria-label="Sessions">
        {sessions.map((s) => (
          <li
            key={s.id}
            className="flex flex-wrap items-center justify-between gap-3 px-5 py-3"
            data-testid="session-row"
          >
            <div>
              <p className="font-medium">
                {s.device}
                {s.current && (
                  <Badge tone="success" className="ml-2">
                    This device
                  </Badge>
                )}
              </p>
              <p className="text-sm text-slate-600">
                {[`signed in with ${s.method}`, s.ip, `since ${when(s.createdAt)}`, `last active ${when(s.lastSeenAt)}`]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
            </div>
            <form action={revokeSessionAction}>
              <input type="hidden" name="sessionId" value={s.id} />
              <button
                type="submit"
                className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100"
              >
                {s.current ? "Sign out here" : "End session"}
              </button>
            </form>
          </li>
        ))}
      </ul>
      {sessions.length > 1 && (
        <form action={revokeOtherSessionsAction}>
          <button
            type="submit"
            className="rounded-lg border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50"
          >
            Sign out everywhere else
          </button>
        </form>
      )}
    </div>
  );
}
