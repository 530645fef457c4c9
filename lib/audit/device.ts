import Bowser from "bowser";

/**
 * "Chrome on Linux", "Safari on iOS": the browser and system a user-agent string names, read by a
 * maintained parser (bowser), or null when it names neither (a script, curl, a forged header). The
 * raw string is never shown: cut to fit, it ends mid-word and means little to a customer.
 */
export function deviceOf(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const parser = Bowser.getParser(userAgent.slice(0, 512));
  const browser = parser.getBrowserName();
  const os = parser.getOSName();
  if (browser && os) return `${browser} on ${os}`;
  return browser || (os ? `a browser on ${os}` : null);
}

/** A device's name for a list (sessions, known devices): "Chrome on macOS", or "Unknown device". */
export const deviceNameOf = (userAgent: string | null): string => deviceOf(userAgent) ?? "Unknown device";
