import "server-only";
import { requireUser } from "@/lib/auth/current-user";
import { deviceNameOf } from "@/lib/auth/session-records";
import { db } from "@/lib/db";

export type SignInView = { at: Date; succeeded: boolean; method: string; device: string; ip: string | null };
export type SecurityStatus = { passkeys: number; lastPasskeyUse: Date | null; recentSignIns: SignInView[] };

/**
 * The dashboard's security summary for the signed-in user: how many passkeys (none means sensitive
 * actions can't be confirmed yet), when one was last used, and the latest sign-in attempts, failed
 * ones included, so a customer notices one that wasn't them. Two indexed reads.
 */
export async function getMySecurityStatus(): Promise<SecurityStatus> {
  const user = await requireUser();
  const [passkeys, signIns] = await Promise.all([
    db.passkey.aggregate({ where: { userId: user.id }, _count: { _all: true }, _max: { lastUsedAt: true } }),
    db.auditEvent.findMany({
      where: { userId: user.id, action: "auth.sign_in" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 3,
      select: { createdAt: true, outcome: true, metadata: true, userAgent: true, ip: true },
    }),
  ]);
  return {
    passkeys: passkeys._count._all,
    lastPasskeyUse: passkeys._max.lastUsedAt,
    recentSignIns: signIns.map((e) => ({
      at: e.createdAt,
      succeeded: e.outcome === "SUCCESS",
      method: methodOf(e.metadata),
      device: deviceNameOf(e.userAgent),
      ip: e.ip,
    })),
  };
}

function methodOf(metadata: string): string {
  try {
    const method = (JSON.parse(metadata) as { method?: unknown }).method;
    return method === "passkey" ? "passkey" : method === "recovery" ? "recovery code" : "password";
  } catch {
    return "password";
  }
}
