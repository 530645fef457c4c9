"use server";

import { redirect } from "next/navigation";
import { beginApiStepUpFor, cancelApiStepUpFor, completeApiStepUpFor, parseAuthorizeQuery } from "@/lib/api/authorize";
import type { BeginResult, CompleteResult } from "@/lib/assurance/step-up";
import { requireUser } from "@/lib/auth/current-user";

/**
 * Public endpoints like every action: each takes the signed-in customer from the session and
 * re-validates the whole authorize request (the bound query is just what the page was given).
 * The intent id the ceremony passes is ignored: the request names it.
 */
type Query = Record<string, string>;
const asQuery = (q: unknown): Query =>
  q && typeof q === "object" && !Array.isArray(q)
    ? Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === "string"))
    : {};

export async function beginApiStepUpAction(query: Query, _intentId: string, ceremony?: unknown): Promise<BeginResult> {
  return beginApiStepUpFor(
    await requireUser(),
    parseAuthorizeQuery(asQuery(query)),
    ceremony === "spc" ? "spc" : "webauthn",
  );
}

export async function completeApiStepUpAction(
  query: Query,
  _intentId: string,
  response: unknown,
): Promise<CompleteResult> {
  return completeApiStepUpFor(await requireUser(), parseAuthorizeQuery(asQuery(query)), response);
}

export async function cancelApiStepUpAction(query: Query): Promise<void> {
  redirect(await cancelApiStepUpFor(await requireUser(), parseAuthorizeQuery(asQuery(query))));
}
