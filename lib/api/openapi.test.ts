import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { OPENAPI } from "@/lib/api/openapi";

/** Every route.ts under app/api/v1, as an OpenAPI path ("[id]" becomes "{id}"), with the methods it exports. */
async function routesOnDisk() {
  const root = path.resolve(import.meta.dirname, "../../app/api/v1");
  const found: Record<string, string[]> = {};
  const walk = async (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === "route.ts") {
        const route =
          "/" +
          path
            .relative(root, dir)
            .split(path.sep)
            .join("/")
            .replace(/\[([^\]]+)\]/g, "{$1}");
        const mod = (await import(full)) as Record<string, unknown>;
        found[route] = ["GET", "POST", "PUT", "PATCH", "DELETE"]
          .filter((m) => typeof mod[m] === "function")
          .map((m) => m.toLowerCase());
      }
    }
  };
  await walk(root);
  return found;
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(OPENAPI)));
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
    // The validator has teeth: a response that isn't an object is caught.
    const broken = JSON.parse(JSON.stringify(OPENAPI)) as {
      paths: Record<string, Record<string, { responses: unknown }>>;
    };
    broken.paths["/accounts"].get.responses = { "200": "fine" };
    assert.equal((await new Validator().validate(broken)).valid, false);
  });

  it("describes every route under app/api/v1, with the methods it exports, and nothing else", async () => {
    const onDisk = await routesOnDisk();
    const documented = Object.fromEntries(
      Object.entries(OPENAPI.paths).map(([p, ops]) => [p, Object.keys(ops).sort()]),
    );
    assert.deepEqual(documented, Object.fromEntries(Object.entries(onDisk).map(([p, m]) => [p, m.sort()])));
  });

  it("documents RFC 9470's 401 wherever a policy can ask for step-up, and 403 insufficient_scope on every scoped call", () => {
    const paths = OPENAPI.paths as unknown as Record<
      string,
      Record<string, { responses: Record<string, unknown>; security: unknown[] }>
    >;
    for (const p of ["/accounts/{id}/number", "/transfers"]) {
      const op = Object.values(paths[p])[0];
      assert.deepEqual(op.responses["401"], { $ref: "#/components/responses/InsufficientAuthentication" }, p);
    }
    for (const [p, ops] of Object.entries(paths)) {
      for (const op of Object.values(ops))
        if (op.security.length > 0) assert.ok(op.responses["403"], `${p} documents 403`);
    }
  });
});
