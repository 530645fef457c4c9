import { json } from "@/lib/api/http";
import { oauthFailure, readOAuthForm } from "@/lib/api/oauth-form";
import { exchangeToken } from "@/lib/api/tokens";

export const dynamic = "force-dynamic";

/**
 * The token endpoint (RFC 6749 §3.2): form-encoded in, JSON out, never cached. See lib/api/tokens.ts
 * for the two grants. Public: it authenticates the client itself.
 */
export async function POST(request: Request) {
  const read = await readOAuthForm(request, [
    "grant_type",
    "scope",
    "code",
    "redirect_uri",
    "code_verifier",
    "client_id",
    "client_secret",
  ]);
  if (!read.ok) return read.response;
  const result = await exchangeToken(read.form, read.basic);
  if (!result.ok) return oauthFailure(result.err, read.basic !== null);
  return json(200, result.grant, { pragma: "no-cache" });
}
