import "server-only";
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { deviceNameOf } from "@/lib/audit/device";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";

/**
 * The device cookie: a random id (128 bits) and an HMAC-SHA-256 of it under a key derived from
 * AUTH_SECRET (HKDF, RFC 5869) for this one use. It names a browser, nothing about the customer; a
 * KnownDevice row makes it "known" for one customer once a passkey proved it there (a step-up).
 *
 * A forged cookie fails the MAC, and a genuine cookie from another customer's browser matches no row
 * of this customer's: either way it is a new device. The cookie can only ever lower trust by being
 * absent, never raise it. HttpOnly, so a script on the page can't copy it; an infostealer that copies
 * every cookie still lands on another network, which the network signals see (lib/risk/signals.ts).
 */
/** Served over https, the __Host- prefix: Secure, host-only, Path=/, so no sibling subdomain can set it. */
const secure = () => env.APP_ORIGINS.every((origin) => origin.startsWith("https:"));
const cookieName = () => (secure() ? "__Host-vault-device" : "vault-device");
/** Chrome caps a cookie's life at 400 days. */
const MAX_AGE_S = 400 * 24 * 60 * 60;
const FORMAT = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

let derived: Buffer | null = null;
const key = () => (derived ??= Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "vault", "vault device cookie v1", 32)));
const macOf = (id: string) => createHmac("sha256", key()).update(id).digest();

/** The cookie's value for a device id. */
export const sealDeviceId = (id: string): string => `${id}.${macOf(id).toString("base64url")}`;

/** The device id a cookie value carries if this server made it, else null (absent, malformed or forged). */
export function openDeviceCookie(value: string | undefined | null): string | null {
  const match = value ? FORMAT.exec(value) : null;
  if (!match) return null;
  const presented = Buffer.from(match[2], "base64url");
  const expected = macOf(match[1]);
  return presented.length === expected.length && timingSafeEqual(presented, expected) ? match[1] : null;
}

/** The verified device id this request's browser presents, or null (none, forged, or outside a request). */
export async function presentedDeviceId(): Promise<string | null> {
  try {
    return openDeviceCookie((await cookies()).get(cookieName())?.value);
  } catch {
    return null;
  }
}

/**
 * The browser's device id, giving it a device cookie first if it has no valid one. Only where a
 * response can set cookies (a server action, a route handler); null elsewhere, and then nothing is
 * remembered, since the browser couldn't be recognised again.
 */
export async function ensureDeviceId(): Promise<string | null> {
  const existing = await presentedDeviceId();
  if (existing) return existing;
  const id = randomBytes(16).toString("base64url");
  try {
    (await cookies()).set(cookieName(), sealDeviceId(id), {
      path: "/",
      maxAge: MAX_AGE_S,
      httpOnly: true,
      sameSite: "lax",
      secure: secure(),
    });
    return id;
  } catch {
    return null;
  }
}

/** A passkey was just used on this device for this customer: it is known from now on, or proved again. */
export async function rememberDevice(
  client: Tx | typeof db,
  userId: string,
  deviceId: string,
  userAgent: string | null,
  now: Date = new Date(),
): Promise<void> {
  await client.knownDevice.upsert({
    where: { userId_deviceId: { userId, deviceId } },
    create: { userId, deviceId, name: deviceNameOf(userAgent), firstProvedAt: now, lastProvedAt: now },
    update: { lastProvedAt: now },
  });
}
