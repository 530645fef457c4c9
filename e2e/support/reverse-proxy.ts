/**
 * A tiny load balancer for tests: one origin (http://localhost:<port>) in front of several app
 * instances, so the browser keeps one set of cookies and one WebAuthn origin while the test decides
 * which instance serves each request. Requests pass through unchanged (Host included, as a real
 * load balancer configured for Vault does), except that, like one, it appends the address it saw to
 * X-Forwarded-For (an app started with TRUSTED_PROXY_HOPS=1 reads it from there). Every request is
 * logged with the instance that served it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AppServer } from "./app-server";

export type ProxiedRequest = {
  method: string;
  path: string;
  /** The Next-Action header: which server action was called, if any. */
  action: string | null;
  /** The start of the request body (server-action arguments, e.g. an intent id). */
  bodyStart: string;
  backend: string;
  status: number;
};

/** Picks the instance for a request, from its headers and the start of its body. */
export type Route = (request: { method: string; path: string; action: string | null; bodyStart: string }) => AppServer;

export type ReverseProxy = {
  port: number;
  /** Where a test talks to the proxy directly: http://127.0.0.1:<port>. */
  url: string;
  /** The origin the browser sees: http://localhost:<port>. */
  origin: string;
  log: ProxiedRequest[];
  close(): Promise<void>;
};

/** Listens on 127.0.0.1:`port`, or on a free port the OS picks when `port` is 0. */
export async function startReverseProxy(port: number, route: Route): Promise<ReverseProxy> {
  const log: ProxiedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const action = typeof req.headers["next-action"] === "string" ? req.headers["next-action"] : null;
    const entry = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      action,
      bodyStart: body.subarray(0, 400).toString("utf8"),
    };
    const backend = route(entry);
    const seen = req.socket.remoteAddress ?? "";
    const forwarded = req.headers["x-forwarded-for"];
    const headers = { ...req.headers, "x-forwarded-for": forwarded ? `${String(forwarded)}, ${seen}` : seen };
    // A kept-alive upstream socket the backend closes just as the request goes out fails with
    // ECONNRESET before the backend read it: sent once more, as proxies do, on a connection of its own.
    const forward = (mayRetry: boolean) => {
      let answered = false;
      const upstream = http.request(
        {
          host: "127.0.0.1",
          port: backend.port,
          method: req.method,
          path: req.url,
          headers,
          ...(mayRetry ? {} : { agent: false }),
        },
        (response) => {
          answered = true;
          log.push({ ...entry, backend: backend.name, status: response.statusCode ?? 0 });
          res.writeHead(response.statusCode ?? 502, response.rawHeaders);
          response.pipe(res);
        },
      );
      upstream.on("error", (err: NodeJS.ErrnoException) => {
        if (mayRetry && !answered && upstream.reusedSocket && err.code === "ECONNRESET") return forward(false);
        log.push({ ...entry, backend: backend.name, status: 502 });
        if (answered) return void res.destroy(err);
        res.writeHead(502, { "content-type": "text/plain" }).end(`proxy: ${backend.name} failed: ${err.message}`);
      });
      upstream.end(body);
    };
    forward(true);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    origin: `http://localhost:${bound}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
