/**
 * Times in the customer's own time zone. The browser knows it (Intl); the server learns it from a
 * cookie the root layout's <TimeZoneCookie> sets on the first page (the login page, before any time is
 * shown), and formats with it, so the HTML is right on the first paint and nothing shifts. Until the
 * cookie exists, or if it names no zone this platform knows, times are in UTC and say so.
 */
export const TIME_ZONE_COOKIE = "vault-tz";

/** The zone named by a cookie, if it is one this platform knows; null otherwise. */
export function parseTimeZone(value: string | undefined | null): string | null {
  if (!value || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export type WhenStyle = "datetime" | "date";

/** "Nov 27, 2026, 3:04 PM GMT+1" (with the zone, so a time is never ambiguous), or "Nov 27, 2026". */
export function formatWhen(date: Date, timeZone: string, style: WhenStyle = "datetime"): string {
  const options: Intl.DateTimeFormatOptions =
    style === "date"
      ? { dateStyle: "medium", timeZone }
      : {
          month: "short",
          day: "numeric",
          year: "numeric",
          hour: "numeric",
          minute: "2-digit",
          timeZoneName: "short",
          timeZone,
        };
  return new Intl.DateTimeFormat("en-US", options).format(date);
}
