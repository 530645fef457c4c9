/**
 * `npm run risk:sim`: the risk model's trade-off, measured (docs/risk.md). The same seeded month
 * (e2e/perf/risk-scenarios.ts) is replayed twice, each on a fresh SQLite database in its own process
 * (e2e/perf/risk-replay.ts): once under the fixed policy table Vault had before, once with the risk
 * signals. Prints prompts per 100 legitimate sensitive actions for both, the exemptions used, false
 * holds, and the takeover scenarios challenged or stopped before any money left, with PASS/FAIL per
 * target. Like the bench, it reports: the exit code is 0 unless it crashed.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { prepareDatabase } from "../support/app-server";
import { fmt, Report } from "./report";
import { SIM, type AttackKind } from "./risk-scenarios";

const ROOT = path.resolve(import.meta.dirname, "../..");

type Tally = {
  actions: number;
  prompts: number;
  promptsByKind: { pay: number; add: number };
  exemptions: Record<string, number>;
  falseHolds: number;
  errors: string[];
};
type Run = {
  policy: "static" | "risk";
  legit: Tally;
  attacks: { kind: AttackKind; moved: number; challenged: number; refused: number }[];
  setupMs: number;
  totalMs: number;
};

function replay(policy: "static" | "risk"): Run {
  const url = `file:./e2e/.tmp/vault_risk_sim_${policy}.db`;
  prepareDatabase(url);
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", "./prisma/tools/outside-next.mjs", "e2e/perf/risk-replay.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: url,
        RISK_SIM_POLICY: policy,
        AUTH_SECRET: "risk-sim-only-secret-never-used-anywhere-else-0123",
        LOG_LEVEL: "silent",
      },
      encoding: "utf8",
      maxBuffer: 16 * 2 ** 20,
    },
  );
  if (child.status !== 0) throw new Error(`risk replay (${policy}) failed:\n${child.stdout}\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Run;
}

const started = performance.now();
const before = replay("static");
const after = replay("risk");

const per100 = (r: Run) => (100 * r.legit.prompts) / r.legit.actions;
const stopped = (r: Run) => r.attacks.filter((a) => a.moved === 0).length;
const report = new Report({ seed: SIM.seed, customers: SIM.customers, date: new Date().toISOString() });
console.log(
  `Risk simulator: seed ${SIM.seed}, ${SIM.customers} customers over ${SIM.month.days} days, ${after.legit.actions} legitimate sensitive actions, ${after.attacks.length} takeover scenarios (e2e/perf/risk-scenarios.ts)\n`,
);
console.log(`  ${"".padEnd(44)} ${"fixed table".padStart(14)} ${"risk-aware".padStart(14)}`);
const line = (name: string, a: string | number, b: string | number) => {
  console.log(`  ${name.padEnd(44)} ${String(a).padStart(14)} ${String(b).padStart(14)}`);
  report.rows.push({ section: "risk", name, value: `${a} → ${b}` });
};
line("prompts per 100 legitimate actions", fmt(per100(before)), fmt(per100(after)));
line(
  "… prompts for payments / for new payees",
  `${before.legit.promptsByKind.pay} / ${before.legit.promptsByKind.add}`,
  `${after.legit.promptsByKind.pay} / ${after.legit.promptsByKind.add}`,
);
line(
  "exemptions used: low value (Art. 16)",
  before.legit.exemptions.EXEMPT_LOW_VALUE,
  after.legit.exemptions.EXEMPT_LOW_VALUE,
);
line("exemptions used: TRA (Art. 18)", before.legit.exemptions.EXEMPT_TRA, after.legit.exemptions.EXEMPT_TRA);
line("false holds (a legitimate action refused)", before.legit.falseHolds, after.legit.falseHolds);
line("other refusals", before.legit.errors.length, after.legit.errors.length);
line(
  "takeovers challenged or stopped",
  `${stopped(before)} / ${before.attacks.length}`,
  `${stopped(after)} / ${after.attacks.length}`,
);
for (const kind of new Set(after.attacks.map((a) => a.kind))) {
  const of = (r: Run) => r.attacks.filter((a) => a.kind === kind);
  const cell = (r: Run) =>
    `${of(r).filter((a) => a.moved === 0).length}/${of(r).length}, ${of(r).reduce((s, a) => s + a.moved, 0)} paid`;
  line(`  ${kind}`, cell(before), cell(after));
}
for (const r of [before, after]) for (const e of new Set(r.legit.errors)) console.log(`  (${r.policy}) ${e}`);

const reduction = 1 - per100(after) / per100(before);
report.target("prompts for legitimate customers, reduction", reduction, ">=", SIM.targets.promptReduction);
report.target(
  "takeover scenarios challenged or stopped (share)",
  stopped(after) / after.attacks.length,
  ">=",
  SIM.targets.takeoversStopped,
);
report.target("false holds", after.legit.falseHolds, "<=", 0);
report.print();
report.keep("runs", { static: before, risk: after });
report.write(path.join(ROOT, "risk-sim-results.json"));
console.log(
  `\nWhole run ${fmt((performance.now() - started) / 1000)} s (replays ${fmt(before.totalMs / 1000)} s and ${fmt(after.totalMs / 1000)} s).`,
);
