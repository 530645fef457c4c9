import type { BalancePoint } from "@/lib/banking/balance-history";
import { formatMoney, type Currency } from "@/lib/money";

const W = 300;
const H = 64;
const PAD = 3; // room for the stroke at the top and bottom edges

const shortDate = (d: Date) => d.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * An account's closing balance per day, as a line over a soft area: hand-rolled SVG, rendered on the
 * server, so it costs no JavaScript and can't shift the layout (fixed height, scaled viewBox). Screen
 * readers get the same facts in words (role="img" with a summary), and the change is printed too.
 */
export function BalanceChart({
  points,
  currency,
  days,
  label,
}: {
  points: BalancePoint[];
  currency: Currency;
  days: number;
  label: string;
}) {
  const first = points.findIndex((p) => p.balance !== null);
  const known = first === -1 ? [] : points.slice(first).map((p) => ({ day: p.day, balance: p.balance ?? 0n }));
  if (known.length < 2) {
    return (
      <p className="flex h-full items-center text-sm text-slate-600" data-testid="balance-chart-empty">
        Not enough history yet for a chart.
      </p>
    );
  }
  const values = known.map((p) => Number(p.balance));
  const low = Math.min(...values);
  const high = Math.max(...values);
  const x = (i: number) => ((first + i) / (points.length - 1)) * W;
  const y = (v: number) => (high === low ? H / 2 : PAD + ((high - v) / (high - low)) * (H - 2 * PAD));
  const line = values.map((v, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)} ${y(v).toFixed(1)}`).join(" ");
  const area = `${line} L${x(values.length - 1).toFixed(1)} ${H} L${x(0).toFixed(1)} ${H} Z`;

  const start = known[0];
  const end = known[known.length - 1];
  const change = end.balance - start.balance;
  const money = (v: bigint) => formatMoney(v, currency);
  const lowest = known.reduce((a, b) => (b.balance < a.balance ? b : a));
  const highest = known.reduce((a, b) => (b.balance > a.balance ? b : a));
  const summary =
    `${label}: ${money(start.balance)} on ${shortDate(start.day)}, ${money(end.balance)} now` +
    `; lowest ${money(lowest.balance)} on ${shortDate(lowest.day)}, highest ${money(highest.balance)} on ${shortDate(highest.day)}.`;

  return (
    // 4rem of chart, 0.25rem of space and a 1rem caption: the 5.25rem the dashboard reserves for it.
    <figure className="space-y-1" data-testid="balance-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="block h-16 w-full overflow-visible"
        role="img"
        aria-label={summary}
      >
        <path d={area} className="fill-accent-100" />
        <path
          d={line}
          className="fill-none stroke-accent-600"
          strokeWidth={2}
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
      </svg>
      <figcaption className="flex justify-between text-xs text-slate-600">
        <span>{shortDate(start.day)}</span>
        <span
          data-testid="balance-change"
          className={change < 0n ? "text-red-700" : change > 0n ? "text-emerald-700" : undefined}
        >
          {formatMoney(change, currency, { signDisplay: "exceptZero" })}{" "}
          {first === 0 ? `in ${days} days` : `since ${shortDate(start.day)}`}
        </span>
        <span>Today</span>
      </figcaption>
    </figure>
  );
}
