import { NextResponse, type NextRequest } from "next/server";
import { isDecodableActionBody } from "@/lib/action-body";
import { clientIpFrom, recordAudit, REQUEST_ID_HEADER } from "@/lib/audit/log";
import { env } from "@/lib/env";

/**
 * Per-request security: server actions only from Vault's own origins, a strict nonce-based
 * Content-Security-Policy, and a 400 for undecodable paths; and a request id (X-Request-Id) that every
 * log line of the request carries.
 * Next reads the nonce from the request's CSP header and puts it on its own scripts; 'strict-dynamic'
 * lets those load the rest of the app, and nothing else runs (OWASP ASVS 5 V3.4.3).
 *
 * This file decides no access: authentication and authorisation live in lib/, where every action and
 * route checks them itself (a proxy can be skipped, CVE-2025-29927). Next requires it at the root.
 * The static headers are in next.config.js.
 */
/** A load balancer's request id is kept if it looks like one; otherwise each request gets a new one. */
const requestIdOf = (request: NextRequest) => {
  const given = request.headers.get(REQUEST_ID_HEADER);
  return given && /^[A-Za-z0-9._-]{8,128}$/.test(given) ? given : crypto.randomUUID();
};

/** Route handlers (app/api/…), which answer POSTs of their own; everything else is a page. */
const isApiPath = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/");

export async function proxy(request: NextRequest) {
  // A router prefetch (a GET) needs none of this: it was left out by the matcher until a POST carrying
  // the same header was found to skip the Origin check with it. Methods aren't matchable, hence here.
  if ((request.method === "GET" || request.method === "HEAD") && request.headers.has("next-router-prefetch"))
    return NextResponse.next();
  const requestId = requestIdOf(request);
  // Next answers 500 when a dynamic segment isn't valid percent-encoding ("/accounts/%ff"): bad
  // input must get a clear 4xx instead, before routing.
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return new NextResponse("Bad request: the address is not valid.", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  // Server actions are POSTs anyone can send. Next already refuses an Origin that isn't the Host, but
  // with a 500; Vault refuses first with a 403, requires the header, and checks it against the
  // configured origins (APP_ORIGINS), not against a Host header the client chose (ASVS 5 V3.5.1).
  // Next runs an action from a fetch (the Next-Action header) and also from a plain form post that
  // names it in its fields ($ACTION_ID_…, $ACTION_REF_n with $ACTION_n:…), multipart or urlencoded,
  // with no header at all. So every POST to a page is held to the rule, whatever its encoding or
  // headers: browsers send Origin on every POST, and Vault's pages take no other POSTs. Only the
  // route handlers under /api/ are left to themselves: Auth.js checks its own CSRF token there, and
  // the bearer API and the OAuth endpoints are called by other servers, which send no Origin.
  const fetchAction = request.headers.has("next-action");
  if (request.method === "POST" && (fetchAction || !isApiPath(request.nextUrl.pathname))) {
    const origin = request.headers.get("origin");
    if (!origin || !env.APP_ORIGINS.includes(origin)) {
      await recordAudit({
        userId: null,
        action: "security.cross_origin_action",
        outcome: "DENIED",
        reason: origin ? "foreign_origin" : "missing_origin",
        metadata: {
          origin: origin?.slice(0, 200) ?? null,
          path: request.nextUrl.pathname.slice(0, 200),
          kind: fetchAction ? "fetch" : "form",
        },
        context: {
          ip: clientIpFrom(request.headers),
          userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
          requestId,
        },
      });
      return new NextResponse("Forbidden: this request didn't come from Vault.", {
        status: 403,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
  }
  if (request.method === "POST" && fetchAction) {
    // Next answers 500 to a body it can't decode into arguments; bad input gets a clear 400 instead.
    if (!(await isDecodableActionBody(request))) {
      return new NextResponse("Bad request: this request couldn't be read. Reload the page and try again.", {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
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
  headers.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  // Everything but Next's own static files (they get next.config.js's headers).
  matcher: ["/((?!_next/static|_next/image|icon.svg).*)"],
};
