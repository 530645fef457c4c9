import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeReply } from "@/lib/testing/encode-reply"; // React's own encoder: what a real page sends
import { isDecodableActionBody } from "@/lib/action-body";

const post = (body: string | FormData, contentType?: string) =>
  new Request("http://localhost/x", {
    method: "POST",
    body,
    headers: contentType ? { "content-type": contentType } : undefined,
  });

async function encoded(args: unknown[]) {
  const body = await encodeReply(args);
  return typeof body === "string" ? post(body, "text/plain;charset=UTF-8") : post(body);
}

describe("server action bodies proxy.ts lets through", () => {
  it("accepts what React encodes: form actions, plain arguments, dates, bigints, undefined, nested values, '$' typed by a user", async () => {
    const form = new FormData();
    form.set("amount", "12.50");
    form.set("memo", "$$ for rent");
    for (const args of [
      [{ status: "idle" }, form],
      [form],
      [],
      ["intent-id", { id: "x", response: { clientDataJSON: "abc" } }],
      [new Date(0), 12n, undefined, Number.NaN, -0, Infinity, "$100", ["a", { b: [null, true] }]],
      [new Map([["a", 1]]), new Set([1, 2])],
    ]) {
      assert.equal(
        await isDecodableActionBody(await encoded(args)),
        true,
        JSON.stringify(args, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)),
      );
    }
  });

  it("refuses what Next can't decode: other content types, broken JSON, a root that isn't a list, references to missing parts", async () => {
    const refused = [
      post("\u0000\u00ff garbage", "application/octet-stream"),
      post('["a"]', "application/json"),
      post("[", "text/plain"),
      post("null", "text/plain"),
      post('{"__proto__":1}', "text/plain"),
      post('["$Q1"]', "text/plain"),
      post('["$W1"]', "text/plain"),
      post('["$@1"]', "text/plain"),
      post('["$h1"]', "text/plain"),
      post('["$B1"]', "text/plain"),
      post('["$T"]', "text/plain"),
      post('["$nabc"]', "text/plain"),
      post('--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n[', "multipart/form-data; boundary=b"),
    ];
    const noRoot = new FormData();
    noRoot.set("1_amount", "1");
    refused.push(post(noRoot));
    const cyclic = new FormData();
    cyclic.set("0", '["$Q1"]');
    cyclic.set("1", '["$Q1"]');
    refused.push(post(cyclic));
    for (const request of refused)
      assert.equal(await isDecodableActionBody(request), false, request.headers.get("content-type") ?? "");
  });
});
