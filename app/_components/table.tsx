import type { ReactNode } from "react";

export type Column = { label: string; align?: "left" | "right"; srOnly?: boolean };

/**
 * A data table on a card: a caption for screen readers, column headers with scope, horizontal
 * scrolling on a phone instead of squeezing numbers. Rows are the caller's <tr>s, cells <Td>.
 */
export function Table({
  caption,
  columns,
  children,
  testId,
}: {
  caption: string;
  columns: Column[];
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                className={`px-4 py-2 font-medium ${c.align === "right" ? "text-right" : ""}`}
              >
                {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({
  children,
  align,
  className = "",
}: {
  children: ReactNode;
  align?: "left" | "right";
  className?: string;
}) {
  return <td className={`px-4 py-2 ${align === "right" ? "text-right tabular-nums" : ""} ${className}`}>{children}</td>;
}
