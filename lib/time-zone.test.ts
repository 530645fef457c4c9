import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatWhen, parseTimeZone } from "@/lib/time-zone";

describe("time zones", () => {
  it("accepts the zones the platform knows, and nothing else", () => {
    assert.equal(parseTimeZone("Europe/Berlin"), "Europe/Berlin");
    assert.equal(parseTimeZone("UTC"), "UTC");
    for (const bad of [undefined, "", "Mars/Olympus_Mons", "Europe/Berlin; path=/", "x".repeat(65)])
      assert.equal(parseTimeZone(bad), null);
  });

  it("formats in the customer's zone and names it", () => {
    const at = new Date("2026-11-27T14:04:00Z");
    assert.equal(formatWhen(at, "UTC"), "Nov 27, 2026, 2:04 PM UTC");
    assert.equal(formatWhen(at, "Europe/Berlin"), "Nov 27, 2026, 3:04 PM GMT+1");
    assert.equal(formatWhen(at, "America/Los_Angeles"), "Nov 27, 2026, 6:04 AM PST");
    assert.equal(formatWhen(new Date("2026-11-27T23:30:00Z"), "Asia/Tokyo", "date"), "Nov 28, 2026");
  });
});
