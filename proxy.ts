import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

/**
 * Per-request security: a strict, nonce-based Content-Security-Policy, and a 400 for undecodable paths.
 * Next reads the nonce from the request's CSP header and puts it on its own scripts; 'strict-dynamic'
 * lets those load the rest of the app, and nothing else runs (OWASP ASVS 5 V3.4.3).
 *
 * This file decides no access: authentication and authorisation live in lib/, where every action and
 * route checks them itself (a proxy can be skipped, CVE-2025-29927). Next requires it at the root.
 * The static headers are in next.config.js.
 */
export function proxy(request: NextRequest) {
  // Next answers 500 when a dynamic segment isn't valid percent-encoding ("/accounts/%ff"): bad
  // input must get a clear 4xx instead, before routing.
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return new NextResponse("Bad request: the address is not valid.", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const dev = env.NODE_ENV === "development"; // React's dev tools need eval; production never gets it
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and Tailwind set style attributes; styles can't run code, so inline styles stay allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Everything but Next's own static files (they get next.config.js's headers).
  matcher: [{ source: "/((?!_next/static|_next/image|icon.svg).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};
