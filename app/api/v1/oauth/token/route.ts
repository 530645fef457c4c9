import { apiError, json } from "@/lib/api/http";
import { exchangeToken } from "@/lib/api/tokens";

export const dynamic = "force-dynamic";

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
 * The token endpoint (RFC 6749 §3.2): form-encoded in, JSON out, never cached. See lib/api/tokens.ts
 * for the two grants. Public: it authenticates the client itself.
 */
export async function POST(request: Request) {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "")) {
    return apiError(400, "invalid_request", "Send the request as application/x-www-form-urlencoded (RFC 6749 §3.2).");
  }
  const body = await request.text().catch(() => "");
  if (body.length > 8_192) return apiError(400, "invalid_request", "The request is too large.");
  const params = new URLSearchParams(body);
  const form: Record<string, string | undefined> = {};
  for (const key of ["grant_type", "scope", "code", "redirect_uri", "code_verifier", "client_id", "client_secret"]) {
    const values = params.getAll(key);
    if (values.length > 1) return apiError(400, "invalid_request", `${key} was sent more than once (RFC 6749 §3.2).`);
    form[key] = values[0];
  }
  const basic = basicCredentials(request.headers.get("authorization"));
  if (basic === "malformed")
    return apiError(400, "invalid_request", "The Authorization header must be Basic base64(client_id:client_secret).");
  const result = await exchangeToken(form, basic);
  if (!result.ok) {
    const { status, ...err } = result.err;
    // §5.2: a failed Basic authentication answers 401 with a Basic challenge.
    return json(status, err, status === 401 && basic ? { "www-authenticate": 'Basic realm="vault"' } : {});
  }
  return json(200, result.grant, { pragma: "no-cache" });
}
