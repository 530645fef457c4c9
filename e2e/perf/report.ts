/**
 * Figures and targets for `npm run bench`: one table on stdout, the same rows in bench-results.json.
 * A target line says PASS or FAIL; the bench itself never fails (the exit code is 0 unless it crashed).
 */
import { writeFileSync } from "node:fs";

/** Percentiles of a sample of durations (ms), nearest-rank. */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}

export type Row = { section: string; name: string; value: string; detail?: string };
export type Target = {
  name: string;
  measured: number;
  limit: number;
  comparison: "<=" | ">=";
  pass: boolean;
  why?: string;
};

export class Report {
  readonly rows: Row[] = [];
  readonly targets: Target[] = [];
  readonly figures: Record<string, unknown> = {};

  constructor(readonly meta: Record<string, unknown>) {}

  row(section: string, name: string, value: string, detail?: string) {
    this.rows.push({ section, name, value, detail });
    console.log(`  ${name.padEnd(44)} ${value.padStart(14)}${detail ? `  ${detail}` : ""}`);
  }

  /** Keeps the raw figures of a section for the JSON file. */
  keep(key: string, value: unknown) {
    this.figures[key] = value;
  }

  target(name: string, measured: number, comparison: "<=" | ">=", limit: number, why?: string) {
    const pass = comparison === "<=" ? measured <= limit : measured >= limit;
    this.targets.push({ name, measured, limit, comparison, pass, why });
  }

  print() {
    console.log("\nTargets (the bench reports; it never fails CI)");
    for (const t of this.targets) {
      console.log(
        `  ${t.pass ? "PASS" : "FAIL"}  ${t.name.padEnd(52)} ${fmt(t.measured).padStart(8)} ${t.comparison} ${fmt(t.limit)}`,
      );
      if (!t.pass && t.why) console.log(`        ${t.why}`);
    }
  }

  write(file: string) {
    const json = JSON.stringify(
      { ...this.meta, rows: this.rows, targets: this.targets, figures: this.figures },
      (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
      2,
    );
    writeFileSync(file, json + "\n");
  }
}

export const fmt = (n: number) =>
  Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(n >= 1 ? 2 : 3);
export const ms = (n: number) => `${fmt(n)} ms`;
export const ratio = (a: number, b: number) => (b === 0 ? Number.POSITIVE_INFINITY : a / b);
