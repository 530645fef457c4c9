import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bankDetailsSchema, formatBankDetails } from "@/lib/banking/bank-details";

const fieldsWithErrors = (input: unknown) => {
  const parsed = bankDetailsSchema.safeParse(input);
  assert.equal(parsed.success, false);
  return [...new Set(parsed.error!.issues.map((i) => String(i.path[0])))].sort();
};

describe("bank details", () => {
  it("an empty form flags every field at once, for either scheme", () => {
    assert.deepEqual(fieldsWithErrors({ name: "", scheme: "iban", iban: "" }), ["iban", "name"]);
    assert.deepEqual(fieldsWithErrors({ name: "", scheme: "domestic" }), ["accountNumber", "name", "routingCode"]);
    assert.deepEqual(fieldsWithErrors({ name: "X", scheme: "bitcoin", iban: "GB82WEST12345698765432" }), ["scheme"]);
  });

  it("normalises what it accepts, and shows it in full grouped for reading", () => {
    const iban = bankDetailsSchema.parse({ name: " ACME Ltd ", scheme: "iban", iban: "gb82 west 1234 5698 7654 32" });
    assert.deepEqual(iban, {
      name: "ACME Ltd",
      iban: "GB82WEST12345698765432",
      routingCode: null,
      accountNumber: null,
    });
    assert.equal(formatBankDetails(iban), "GB82 WEST 1234 5698 7654 32");
    const domestic = bankDetailsSchema.parse({
      name: "Landlord",
      scheme: "domestic",
      routingCode: "021-000-021",
      accountNumber: "1234 5678",
    });
    assert.deepEqual(domestic, { name: "Landlord", iban: null, routingCode: "021000021", accountNumber: "12345678" });
    assert.equal(formatBankDetails(domestic), "Routing 021000021 · Acct 12345678");
  });
});
