import type { ReactNode } from "react";

/** What an empty list shows instead: what would be here, and the way to the first one. */
export function EmptyState({ children, action, testId }: { children: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 p-6 text-slate-600" data-testid={testId}>
      <p>{children}</p>
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}
