import "server-only";
import { apiError, json, readBodyText } from "@/lib/api/http";

const MAX_OAUTH_FORM_BYTES = 8_192;
import type { OAuthError } from "@/lib/api/tokens";

/** RFC 6749 §2.3.1: `Authorization: Basic base64(client_id:client_secret)`, each part form-urlencoded. */
function basicCredentials(header: string | null): { id: string; secret: string } | null | "malformed" {
  if (!header) return null;
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header);
  if (!match) return "malformed";
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return "malformed";
  }
}

/**
 * An OAuth endpoint's request (RFC 6749 §3.2): form-encoded, each parameter at most once, at most
 * 8 kB, with the client's credentials in HTTP Basic or in the form.
 */
export async function readOAuthForm(
  request: Request,
  keys: string[],
): Promise<
  | { ok: true; form: Record<string, string | undefined>; basic: { id: string; secret: string } | null }
  | { ok: false; response: Response }
> {
  const fail = (description: string) => ({
    ok: false as const,
    response: apiError(400, "invalid_request", description),
  });
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "")) {
    return fail("Send the request as application/x-www-form-urlencoded (RFC 6749 §3.2).");
  }
  const read = await readBodyText(request, MAX_OAUTH_FORM_BYTES);
  if (!read.ok) return read;
  const params = new URLSearchParams(read.text);
  const form: Record<string, string | undefined> = {};
  for (const key of keys) {
    const values = params.getAll(key);
    if (values.length > 1) return fail(`${key} was sent more than once (RFC 6749 §3.2).`);
    form[key] = values[0];
  }
  const basic = basicCredentials(request.headers.get("authorization"));
  if (basic === "malformed") return fail("The Authorization header must be Basic base64(client_id:client_secret).");
  return { ok: true, form, basic };
}

/**
 * RFC 6749 §5.2: the error as JSON; a failed Basic authentication answers 401 with a Basic challenge,
 * a rate limit 429 with Retry-After (RFC 6585 §4).
 */
export function oauthFailure(err: OAuthError, usedBasic: boolean): Response {
  const { status, retryAfterS, ...body } = err;
  const headers: Record<string, string> =
    status === 401 && usedBasic ? { "www-authenticate": 'Basic realm="vault"' } : {};
  if (retryAfterS !== undefined) headers["retry-after"] = String(retryAfterS);
  return json(status, body, headers);
}
