import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authRedirect, safeNextPath } from "@/lib/auth/redirects";

const baseUrl = "http://localhost:3000";

describe("where Auth.js may send the browser (issue 16, 10g)", () => {
  it("a callbackUrl that isn't a URL is input like any other: home, not an exception", () => {
    for (const url of [
      "http://localhost:3000.evil.example/",
      "http://localhost:99999/",
      "http://[::1/",
      "https://",
      "not a url",
      "",
    ]) {
      assert.equal(authRedirect({ url, baseUrl }), baseUrl, url);
    }
  });

  it("keeps Vault's own pages and refuses other sites", () => {
    assert.equal(authRedirect({ url: "/transfers/new?x=1", baseUrl }), `${baseUrl}/transfers/new?x=1`);
    assert.equal(authRedirect({ url: `${baseUrl}/payees`, baseUrl }), `${baseUrl}/payees`);
    assert.equal(authRedirect({ url: "https://evil.example/", baseUrl }), baseUrl);
    assert.equal(authRedirect({ url: "http://localhost:3000@evil.example/", baseUrl }), baseUrl);
    assert.equal(authRedirect({ url: "//evil.example/", baseUrl }), `${baseUrl}/dashboard`);
    assert.equal(authRedirect({ url: "/\\evil.example/", baseUrl }), `${baseUrl}/dashboard`);
  });

  it("safeNextPath still accepts only same-site paths", () => {
    assert.equal(safeNextPath("/accounts/1"), "/accounts/1");
    assert.equal(safeNextPath("https://evil.example"), "/dashboard");
  });
});
