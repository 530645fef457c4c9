/**
 * Counts the SQL statements the one Prisma client (lib/db.ts) sends while `work` runs, from Prisma's
 * query events, which lib/db.ts turns on under NODE_ENV=test only. A cost budget in a test ("a step-up
 * in at most 8 statements") fails when a change adds a round trip, where a timing would only wobble.
 * Nothing else may use the client meanwhile: every statement in the window is counted.
 */
type QueryEvent = { query: string };
type Observable = { $on(event: "query", listener: (e: QueryEvent) => void): void };

let recording: string[] | null = null;
const listening = new WeakSet<object>();

/** How many statements the statementsOf window in progress has counted so far (to split it into phases). */
export const statementsSoFar = (): number => recording?.length ?? 0;

export async function statementsOf<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: string[]; writes: string[]; commits: number }> {
  const { db } = await import("@/lib/db");
  if (!listening.has(db)) {
    listening.add(db);
    (db as unknown as Observable).$on("query", (e) => recording?.push(e.query));
  }
  if (recording) throw new Error("statementsOf calls can't overlap");
  const statements: string[] = [];
  recording = statements;
  try {
    const result = await work();
    return {
      result,
      statements,
      writes: statements.filter((s) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(s)),
      commits: statements.filter((s) => /^\s*COMMIT\b/i.test(s)).length,
    };
  } finally {
    recording = null;
  }
}
