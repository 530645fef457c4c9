import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";

/**
 * Auth.js' own endpoints. It answers 500 ("server configuration") to a callback URL that isn't an
 * absolute http(s) URL, whether it comes in the query or in its callback-url cookie; both are inputs
 * anyone can send, so they get a clear 400 here first. Auth.js still applies its own same-origin rules
 * to the URLs that pass.
 */
const CALLBACK_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

function badCallbackUrl(request: NextRequest): boolean {
  const values = [
    request.nextUrl.searchParams.get("callbackUrl"),
    ...CALLBACK_COOKIES.map((name) => request.cookies.get(name)?.value),
  ];
  return values.some((value) => value != null && !isHttpUrl(value));
}

const badRequest = () =>
  new Response("Bad request: the callback address is not valid.", {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });

export async function GET(request: NextRequest) {
  return badCallbackUrl(request) ? badRequest() : handlers.GET(request);
}

export async function POST(request: NextRequest) {
  return badCallbackUrl(request) ? badRequest() : handlers.POST(request);
}
