import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness and database readiness, with no detail an outsider could use. */
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", database: "ok" });
  } catch {
    return Response.json({ status: "degraded", database: "unavailable" }, { status: 503 });
  }
}
