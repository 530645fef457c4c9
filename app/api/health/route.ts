import { db } from "@/lib/db";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/** A load balancer must hear back quickly: a database that doesn't answer in 2 s counts as down. */
const DATABASE_TIMEOUT_MS = 2_000;

const answer = (body: { status: "ok" | "degraded"; database: "ok" | "unavailable" }, status: number) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

/**
 * Liveness and database readiness for load balancers, public and unauthenticated, so it says nothing
 * an outsider could use: no versions, hosts, timings or error text. The reason goes to the log.
 */
export async function GET() {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error("database health check timed out")), DATABASE_TIMEOUT_MS)),
      ),
    ]);
    return answer({ status: "ok", database: "ok" }, 200);
  } catch (err) {
    log.warn(
      { event: "health.database_unavailable", err: { name: (err as Error)?.name, message: (err as Error)?.message } },
      "health check failed",
    );
    return answer({ status: "degraded", database: "unavailable" }, 503);
  } finally {
    clearTimeout(timer);
  }
}
