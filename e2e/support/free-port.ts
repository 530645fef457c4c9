/**
 * Free TCP ports on 127.0.0.1, asked of the operating system (port 0), so no test depends on a fixed
 * port being free: a developer's own service on 3100 or 4100 must not turn the suite red.
 *
 * A port found this way is free when it is returned; the server that then binds it may still, rarely,
 * lose it to another process in between. startAppServer() retries on EADDRINUSE for that reason.
 */
import { execFileSync } from "node:child_process";
import net from "node:net";

/** One free port, found by listening on port 0 and closing again. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `count` distinct free ports, synchronously (for Playwright configs, which are not async): a child
 * process holds them all open at once, so the OS can't hand out the same port twice, then closes them.
 */
export function freePortsSync(count: number): number[] {
  const script = `
    const net = require("node:net");
    const servers = Array.from({ length: ${count} }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok, fail) => { s.once("error", fail); s.listen(0, "127.0.0.1", ok); })))
      .then(() => { process.stdout.write(JSON.stringify(servers.map((s) => s.address().port))); servers.forEach((s) => s.close()); });`;
  const ports = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as number[];
  if (ports.length !== count || ports.some((p) => !Number.isInteger(p) || p <= 0))
    throw new Error(`no free ports: ${JSON.stringify(ports)}`);
  return ports;
}

/**
 * A loopback URL that nothing listens on, for a redirect a test catches with page.route(). Not port 9
 * (or any port Chromium refuses, ERR_UNSAFE_PORT): the headless shell refuses those before a route
 * sees the request.
 */
export const unusedLoopbackUrl = (pathname: string) => `http://127.0.0.1:${freePortsSync(1)[0]}${pathname}`;
