/**
 * Server actions called from Node the way a browser calls them: a POST to a page that uses the action,
 * with the `Next-Action` header, the app's Origin, the session cookie, and the arguments encoded by
 * React's own encodeReply (the copy Next ships, so the bytes are the ones a browser sends).
 * The ids come from the build's server-reference manifest, so a new action is found automatically.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { encodeReply } from "../../lib/testing/encode-reply";

export { encodeReply };
const ROOT = path.resolve(import.meta.dirname, "../..");

/** The headers a page sends with every server action (besides Origin and Cookie). */
export const ACTION_HEADERS = { accept: "text/x-component" };

export type ServerAction = {
  id: string;
  name: string;
  /** The source file, e.g. "app/(bank)/transfers/actions.ts". */
  file: string;
  /** App routes whose page uses the action, e.g. "/transfers/new" or "/step-up/[intentId]". */
  routes: string[];
};

let manifestCache: ServerAction[] | undefined;

/** Every server action in the last `next build` (<distDir>/server/server-reference-manifest.json), read once per process. */
export function serverActions(): ServerAction[] {
  return (manifestCache ??= readServerActions());
}

function readServerActions(): ServerAction[] {
  // The same flag as next.config.js: `npm run bench` builds into .next-bench.
  const distDir = process.env.VAULT_BENCH_BUILD === "1" ? ".next-bench" : ".next";
  const file = path.join(ROOT, distDir, "server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: entry.exportedName ?? id,
    file: entry.filename ?? "",
    routes: Object.keys(entry.workers)
      .filter((worker) => worker.endsWith("/page"))
      .map((worker) => routeOf(worker)),
  }));
}

export function serverAction(name: string): ServerAction {
  const found = serverActions().filter((a) => a.name === name);
  if (found.length !== 1)
    throw new Error(`expected one server action named ${name} in the build, found ${found.length}`);
  return found[0];
}

/** "app/(bank)/transfers/new/page" -> "/transfers/new" (route groups are not in the URL). */
function routeOf(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/");
  return "/" + segments.filter((s) => s && !/^\(.*\)$/.test(s)).join("/");
}

export type HttpResult = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Where a server action sent the browser (Next's x-action-redirect, without ";push"), if anywhere. */
  redirect: string | null;
};

export type Endpoint = {
  /** Where the server listens, e.g. http://127.0.0.1:3210. */
  url: string;
  /** The origin the browser sees: the Host and Origin headers (e.g. http://localhost:3210). */
  origin: string;
};

// Keep-alive, so a load run measures the app rather than TCP handshakes.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request with full control of the headers (fetch won't set Host): the test connects to
 * 127.0.0.1 and presents the browser's origin, exactly as a browser at http://localhost:<port> does.
 *
 * A kept-alive socket can be closed by the server (its keep-alive timeout) just as a request goes out
 * on it: the request then fails with ECONNRESET before the server has read it. As Node's documentation
 * says to (`request.reusedSocket`), and as browsers do, such a request is sent once more, on a
 * connection of its own (the pool may hold more sockets the server is closing). A reset on a fresh
 * connection, or after an answer began, is still an error.
 */
export async function request(
  endpoint: Endpoint,
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<HttpResult> {
  try {
    return await requestOnce(endpoint, pathname, options);
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return requestOnce(endpoint, pathname, options, false);
  }
}

class StaleSocketError extends Error {}

function requestOnce(
  endpoint: Endpoint,
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number },
  /** The kept-alive pool, or false for a connection used once. */
  via: http.Agent | false = agent,
): Promise<HttpResult> {
  const target = new URL(pathname, endpoint.url);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      target,
      {
        agent: via,
        method: options.method ?? "GET",
        headers: {
          host: new URL(endpoint.origin).host,
          ...(body ? { "content-length": String(body.length) } : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const location = res.headers["x-action-redirect"];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            redirect: typeof location === "string" ? location.split(";")[0] : null,
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${options.method ?? "GET"} ${pathname}`)));
    req.on("error", (err: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !answered && err.code === "ECONNRESET";
      reject(stale ? new StaleSocketError(`${err.message} (a kept-alive socket the server had closed)`) : err);
    });
    req.end(body);
  });
}

/** A request body as React encodes the arguments: a JSON string, or multipart when a FormData is among them. */
export async function encodeArgs(args: unknown[]): Promise<{ body: Buffer; contentType: string }> {
  const encoded = await encodeReply(args);
  // Let the platform serialise it, as the browser's fetch would (multipart boundary included).
  const wire = new Response(encoded);
  return {
    body: Buffer.from(await wire.arrayBuffer()),
    contentType: wire.headers.get("content-type") ?? "text/plain;charset=UTF-8",
  };
}

/** Calls a server action with these arguments, as the page at `pathname` would. */
export async function callAction(
  endpoint: Endpoint,
  pathname: string,
  action: ServerAction,
  args: unknown[],
  cookie = "",
): Promise<HttpResult> {
  const { body, contentType } = await encodeArgs(args);
  return postAction(endpoint, pathname, action.id, body, contentType, cookie);
}

/** A server-action POST with any body at all (the fuzz test sends malformed ones). */
export function postAction(
  endpoint: Endpoint,
  pathname: string,
  actionId: string,
  body: string | Buffer,
  contentType: string,
  cookie = "",
) {
  return request(endpoint, pathname, {
    method: "POST",
    headers: {
      ...ACTION_HEADERS,
      "next-action": actionId,
      origin: endpoint.origin,
      "content-type": contentType,
      ...(cookie ? { cookie } : {}),
    },
    body,
  });
}

/** A FormData from plain fields (keys may be anything, "__proto__" included). */
export function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

/**
 * Signs in with email and password through Auth.js' own endpoints (CSRF token, then the Credentials
 * callback, with the same limits as the form) and returns the Cookie header of the new session.
 */
export async function signInCookie(endpoint: Endpoint, email: string, password: string): Promise<string> {
  const csrf = await request(endpoint, "/api/auth/csrf");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const response = await request(endpoint, "/api/auth/callback/password", {
    method: "POST",
    headers: { cookie: cookiesOf(csrf), origin: endpoint.origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password }).toString(),
  });
  const session = cookiesOf(response);
  if (!/session-token=/.test(session))
    throw new Error(`sign-in as ${email} failed: ${response.status} ${response.headers.location ?? ""}`);
  return session;
}

/** The name=value pairs a response sets, as a Cookie header. */
export function cookiesOf(response: HttpResult): string {
  return (response.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
}
