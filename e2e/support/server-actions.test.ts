/**
 * `request()`'s one retry: a kept-alive socket the server resets as the next request goes out is
 * retried on a new connection; a reset on a fresh connection is still an error. The server here is a
 * real TCP listener that answers one request per connection and then resets on the next one.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, test } from "node:test";
import { request } from "./server-actions";

let server: net.Server;
let endpoint: { url: string; origin: string };
/** "second": answer a connection's first request and reset the next one; "every": reset every request. */
let resetOn: "second" | "every" = "second";
let connections = 0;
const open = new Set<net.Socket>();

before(async () => {
  server = net.createServer((socket) => {
    connections++;
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    let requests = 0;
    socket.on("data", (chunk) => {
      if (!chunk.includes("\r\n\r\n")) return; // these requests have no body: the headers end them
      requests++;
      if (resetOn === "every" || requests === 2) {
        socket.resetAndDestroy();
        return;
      }
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok");
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  endpoint = { url: `http://127.0.0.1:${port}`, origin: `http://localhost:${port}` };
});
after(async () => {
  for (const socket of open) socket.destroy(); // the agent's kept-alive sockets would hold the server open
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test("a request on a kept-alive socket the server resets is sent again on a new connection", async () => {
  resetOn = "second";
  const before = connections;
  assert.equal((await request(endpoint, "/one")).body, "ok");
  await new Promise((resolve) => setImmediate(resolve)); // the socket goes back to the agent's pool
  const again = await request(endpoint, "/two", { method: "POST", body: "x" });
  assert.equal(again.status, 200);
  assert.equal(connections - before, 2, "the second request went out on the kept-alive socket, then on a new one");
});

test("the second attempt takes a new connection even when the pool holds other stale sockets", async () => {
  resetOn = "second";
  // Three connections at once, each answered once and kept alive: three sockets the server will reset.
  await Promise.all(["/a", "/b", "/c"].map((p) => request(endpoint, p)));
  await new Promise((resolve) => setImmediate(resolve));
  const before = connections;
  const again = await request(endpoint, "/d");
  assert.equal(again.status, 200);
  assert.equal(connections - before, 1, "one new connection, for the second attempt");
});

test("a reset on a fresh connection is an error, not retried", async () => {
  resetOn = "every";
  const before = connections;
  // A kept-alive socket from the test above, if the agent still holds one, is reset and retried once;
  // either way exactly one new connection is made, and its reset is the answer.
  await assert.rejects(request(endpoint, "/three"), /ECONNRESET/);
  assert.equal(connections - before, 1);
});
