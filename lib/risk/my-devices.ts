import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { notFound, parseInput } from "@/lib/errors";

/** A known device as the security centre shows it: never its cookie's id, which stays on the server. */
export type DeviceView = { id: string; name: string; firstProvedAt: Date; lastProvedAt: Date; current: boolean };

/** The signed-in customer's known devices (lib/risk/device.ts), this browser first. */
export async function listMyDevices(): Promise<DeviceView[]> {
  const user = await requireUser();
  const rows = await db.knownDevice.findMany({
    where: { userId: user.id },
    orderBy: { lastProvedAt: "desc" },
    select: { id: true, deviceId: true, name: true, firstProvedAt: true, lastProvedAt: true },
  });
  const views = rows.map(({ deviceId, ...row }) => ({ ...row, current: deviceId === user.context?.deviceId }));
  return [...views.filter((d) => d.current), ...views.filter((d) => !d.current)];
}

const deviceName = z
  .string({ error: "Give the device a name." })
  .trim()
  .min(1, "Give the device a name.")
  .max(60, "Keep the name to 60 characters or fewer.");
/** Any id that is missing, not text or too long is simply not found. */
const deviceIdOf = (raw: unknown) => (typeof raw === "string" && raw.length <= 64 ? raw : null);

/** Renames one of the customer's known devices; anyone else's is "not found". Cosmetic: no step-up. */
export async function renameMyDevice(rawId: unknown, rawName: unknown): Promise<void> {
  const user = await requireUser();
  const { name } = parseInput(z.object({ name: deviceName }), { name: rawName });
  const id = deviceIdOf(rawId);
  const changed = id ? await db.knownDevice.updateMany({ where: { id, userId: user.id }, data: { name } }) : null;
  if (changed?.count !== 1) throw notFound("That device");
  await recordAudit({ userId: user.id, action: "device.rename", outcome: "SUCCESS", metadata: { name } });
}

/**
 * Forgets one of the customer's known devices: the next sensitive action from that browser is a new
 * device's again, and asks for a passkey. It only lowers trust, so it needs no step-up (like ending a
 * session). Anyone else's device is "not found".
 */
export async function forgetMyDevice(rawId: unknown): Promise<{ name: string }> {
  const user = await requireUser();
  const id = deviceIdOf(rawId);
  // One DELETE … RETURNING, scoped to the customer; no row (P2025) is "not found".
  const row = id
    ? await db.knownDevice.delete({ where: { id, userId: user.id }, select: { name: true } }).catch((err: unknown) => {
        if ((err as { code?: string } | null)?.code === "P2025") return null;
        throw err;
      })
    : null;
  if (!row) throw notFound("That device");
  await recordAudit({ userId: user.id, action: "device.forget", outcome: "SUCCESS", metadata: { name: row.name } });
  return row;
}
