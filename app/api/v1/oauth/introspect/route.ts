import { json } from "@/lib/api/http";
import { oauthFailure, readOAuthForm } from "@/lib/api/oauth-form";
import { introspect } from "@/lib/api/tokens";

export const dynamic = "force-dynamic";

/** RFC 7662 token introspection for the client that owns the token (lib/api/tokens.ts introspect). */
export async function POST(request: Request) {
  const read = await readOAuthForm(request, ["token", "token_type_hint", "client_id", "client_secret"]);
  if (!read.ok) return read.response;
  const result = await introspect(read.form, read.basic);
  if (!result.ok) return oauthFailure(result.err, read.basic !== null);
  return json(200, result.body);
}
