import type { IntentDescription } from "@/lib/assurance/operation";

/**
 * What an operation will do, as its own `describe` says it: the rows, and a warning to check first.
 * The review before a payment and the step-up page both show it, so the customer reviews exactly
 * what the passkey then signs.
 */
export function IntentDetails({
  description,
  testId,
}: {
  description: Pick<IntentDescription, "details" | "warning">;
  testId: string;
}) {
  return (
    <>
      {description.warning && (
        <p
          role="note"
          data-testid={`${testId}-warning`}
          className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900"
        >
          {description.warning}
        </p>
      )}
      {description.details.length > 0 && (
        <dl className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" data-testid={testId}>
          {description.details.map(([label, value]) => (
            <div key={label} className="flex justify-between gap-4 px-5 py-3 text-sm">
              <dt className="shrink-0 text-slate-600">{label}</dt>
              <dd className="min-w-0 text-right font-medium break-words">{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
