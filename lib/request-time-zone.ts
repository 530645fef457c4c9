import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { parseTimeZone, TIME_ZONE_COOKIE } from "@/lib/time-zone";

/**
 * The customer's time zone for this request (lib/time-zone.ts): from the cookie the browser set, or
 * UTC until it has, and outside a request (scripts, tests) or for an API client, which sends none.
 */
export const requestTimeZone = cache(async (): Promise<string> => {
  try {
    return parseTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value) ?? "UTC";
  } catch {
    return "UTC";
  }
});
