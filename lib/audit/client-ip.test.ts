import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientIpOf } from "@/lib/audit/log";

const forwarded = (value: string | null) => new Headers(value === null ? {} : { "x-forwarded-for": value });

describe("client address (finding 4: X-Forwarded-For is believed only from the operator's proxies)", () => {
  it("with no trusted proxy, no header gives an address: not X-Forwarded-For, not X-Real-IP", () => {
    assert.equal(clientIpOf(forwarded("203.0.113.9"), 0), null);
    assert.equal(clientIpOf(new Headers({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.10" }), 0), null);
    assert.equal(clientIpOf(forwarded(null), 0), null);
  });

  it("behind N proxies the client is the Nth entry from the right; what the client wrote to its left is ignored", () => {
    // The client sent "6.6.6.6"; the one load balancer appended the address it saw.
    assert.equal(clientIpOf(forwarded("6.6.6.6, 198.51.100.7"), 1), "198.51.100.7");
    assert.equal(clientIpOf(forwarded("198.51.100.7"), 1), "198.51.100.7");
    // CDN then load balancer: the CDN saw the client, the load balancer saw the CDN.
    assert.equal(clientIpOf(forwarded("6.6.6.6, 198.51.100.7, 192.0.2.1"), 2), "198.51.100.7");
    assert.equal(clientIpOf(forwarded("2001:db8::1, 6.6.6.6,::1"), 1), "::1");
    assert.equal(clientIpOf(forwarded("[2001:db8::1]"), 1), "2001:db8::1");
  });

  it("fewer entries than proxies, or an entry that isn't an address, gives none", () => {
    assert.equal(clientIpOf(forwarded("198.51.100.7"), 2), null);
    assert.equal(clientIpOf(forwarded(null), 1), null);
    assert.equal(clientIpOf(forwarded("6.6.6.6, not-an-address"), 1), null);
    assert.equal(clientIpOf(forwarded("6.6.6.6, "), 1), null);
    assert.equal(clientIpOf(forwarded(`6.6.6.6, ${"1".repeat(5000)}`), 1), null);
  });
});
