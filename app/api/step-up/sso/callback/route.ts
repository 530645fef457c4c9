import { completeSsoStepUpFor } from "@/lib/auth/sso-step-up";
import { getSessionUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { setFlash } from "@/lib/flash-server";

export const dynamic = "force-dynamic";

/** Where Vault sends people: its own configured origin, never the Host header. */
const to = (path: string) => Response.redirect(new URL(path, env.APP_ORIGINS[0]), 303);

/**
 * The IdP's answer to a step-up request (lib/auth/sso-step-up.ts decides). A public GET like any
 * route: it acts only for the signed-in session that made the request, and only once.
 */
export async function GET(request: Request) {
  const user = await getSessionUser();
  if (!user) return to("/login");
  const done = await completeSsoStepUpFor(user, new URL(request.url), env.APP_ORIGINS[0]);
  if (!done.ok) return to(done.intentId ? `/step-up/${done.intentId}?sso=${done.problem}` : "/dashboard");
  if (!done.result.ok) return to(`/step-up/${done.intentId}?sso=operation`);
  await setFlash(done.result.action);
  return to(done.result.redirectTo);
}
