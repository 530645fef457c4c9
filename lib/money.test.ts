import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatMoney, parseAmount, toDecimalString } from "@/lib/money";

describe("parseAmount", () => {
  const ok: [string, bigint][] = [
    ["12.34", 1234n],
    ["12.3", 1230n],
    ["12", 1200n],
    ["0.05", 5n],
    ["0", 0n],
    [" 7.10 ", 710n],
    ["1,250.00", 125_000n],
    ["1,000,000", 100_000_000n],
    ["92233720368547758.07", 9_223_372_036_854_775_807n], // beyond 2^53: exact, no float
  ];
  for (const [input, minor] of ok) {
    it(`parses ${JSON.stringify(input)} as ${minor}n`, () => {
      assert.deepEqual(parseAmount(input, "USD"), { ok: true, amount: minor });
    });
  }

  const bad: [unknown, string][] = [
    ["1.234", "precision"],
    ["-1", "negative"],
    ["−1", "negative"], // U+2212 minus sign
    ["1e3", "format"],
    ["", "empty"],
    ["   ", "empty"],
    [undefined, "empty"],
    [12.34, "empty"], // not text: numbers never reach the parser as floats
    ["12.", "format"],
    [".5", "format"],
    ["1,23.00", "format"],
    ["12,34", "format"],
    ["0x10", "format"],
    ["Infinity", "format"],
    ["NaN", "format"],
    ["١٢", "format"], // Arabic-Indic digits
    ["1".repeat(40), "too_long"],
  ];
  for (const [input, error] of bad) {
    it(`rejects ${JSON.stringify(input)} (${error})`, () => {
      const result = parseAmount(input, "USD");
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error, error);
        assert.ok(result.message.length > 0);
      }
    });
  }

  it("round-trips every non-negative amount through its decimal text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (minor) => {
        const parsed = parseAmount(toDecimalString(minor, "USD"), "USD");
        return parsed.ok && parsed.amount === minor;
      }),
    );
  });
});

describe("formatMoney", () => {
  it("formats minor units with Intl.NumberFormat", () => {
    assert.equal(formatMoney(125_000n, "USD"), "$1,250.00");
    assert.equal(formatMoney(5n, "USD"), "$0.05");
    assert.equal(formatMoney(-5n, "USD"), "-$0.05");
    assert.equal(formatMoney(99n, "EUR"), "€0.99");
    assert.equal(formatMoney(9_223_372_036_854_775_807n, "USD"), "$92,233,720,368,547,758.07");
  });

  it("shows an explicit sign when asked", () => {
    assert.equal(formatMoney(1_000n, "USD", { signDisplay: "always" }), "+$10.00");
  });
});
