/**
 * Generated hostile inputs for the fuzz test (fast-check): values of the wrong type, huge strings,
 * unicode edge cases, negative and NaN numbers, prototype-pollution keys, missing fields, forged ids
 * of another customer's objects; encoded either as valid React replies or as raw malformed bodies.
 */
import fc from "fast-check";
import { formData } from "../support/server-actions";

/** Field names the app's forms use, so hostile values reach the real parsers, plus pollution keys. */
const FIELD_NAMES = [
  "fromAccountId",
  "to",
  "amount",
  "memo",
  "idempotencyKey",
  "accountId",
  "payeeId",
  "passkeyId",
  "nickname",
  "sessionId",
  "intentId",
  "name",
  "email",
  "password",
  "currentPassword",
  "newPassword",
  "iban",
  "routingCode",
  "accountNumber",
  "holderName",
  "next",
  "__proto__",
  "constructor",
  "prototype",
  "$ACTION_ID_x",
  "$ACTION_REF_1",
  "0",
  "1_amount",
];

const unicodeEdge = fc.constantFrom(
  "\u0000",
  "\u202e",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\u200b\u200d",
  "👨‍👩‍👧‍👦".repeat(50),
  "e\u0301".repeat(40),
  "İ",
  "ß",
  "\r\n\t",
  "<script>alert(1)</script>",
  '\'; DROP TABLE "Account"; --',
  "../../etc/passwd",
  "%00",
  "${7*7}",
  "{{7*7}}",
);

const numberish = fc.oneof(
  fc.constantFrom(-1, -0, 0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e-308, 0.1 + 0.2),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
);

const numberText = fc.oneof(
  fc.constantFrom(
    "-1.00",
    "NaN",
    "Infinity",
    "1e9",
    "0x10",
    "1,000.00",
    "00.001",
    "-0",
    "",
    " ",
    "9".repeat(400),
    "1.005",
    "٣.١٤",
  ),
  numberish.map(String),
);

/** A text that is hostile in itself. */
export const hostileText = (forgedIds: string[]) =>
  fc.oneof(
    fc.string({ maxLength: 64 }),
    fc.string({ unit: "grapheme", maxLength: 64 }),
    fc.string({ unit: "binary", maxLength: 64 }),
    unicodeEdge,
    numberText,
    fc.constantFrom(...forgedIds),
    fc.constantFrom(...forgedIds).map((id) => `account:${id}`),
    fc.constantFrom(...forgedIds).map((id) => `payee:${id}`),
    fc.nat({ max: 200_000 }).map((n) => "A".repeat(n)), // up to 200 kB
  );

/** Any value React can encode: wrong types, nesting, pollution keys, forged ids. */
export const hostileValue = (forgedIds: string[]) =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      hostileText(forgedIds),
      numberish,
      fc.constantFrom(null, undefined, true, false, new Date(Number.NaN), new Date(8.64e15)),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie("value"), { maxKeys: 4, noNullPrototype: true }), // React refuses null prototypes client-side
      // Own "__proto__" and "constructor" keys (an object literal would set the prototype instead).
      fc.constant(
        JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown,
      ),
    ),
  })).value;

/** A form with hostile values in real field names, some fields missing, some repeated. */
export const hostileForm = (forgedIds: string[]) =>
  fc.array(fc.tuple(fc.constantFrom(...FIELD_NAMES), hostileText(forgedIds)), { maxLength: 8 }).map((pairs) => {
    const data = formData({});
    for (const [name, value] of pairs) data.append(name, value);
    return data;
  });

/** Arguments for an action: any list, or the (previous state, form) pair a form action gets. */
export const hostileArgs = (forgedIds: string[]) =>
  fc.oneof(
    fc.array(hostileValue(forgedIds), { maxLength: 3 }),
    fc.tuple(hostileValue(forgedIds), hostileForm(forgedIds)),
    fc.tuple(hostileForm(forgedIds), hostileValue(forgedIds)),
  );

export type RawBody = { contentType: string; body: Buffer; label: string };

const BOUNDARY = "----vaultfuzz";

/** Bodies no browser would send: garbage, wrong content types, truncated multipart, broken references. */
export const rawBody = fc.oneof(
  fc
    .uint8Array({ maxLength: 2048 })
    .map((bytes) => ({ label: "random bytes", contentType: "application/octet-stream", body: Buffer.from(bytes) })),
  fc
    .string({ maxLength: 256 })
    .map((text) => ({ label: "text as JSON reply", contentType: "text/plain;charset=UTF-8", body: Buffer.from(text) })),
  fc
    .constantFrom(
      '["$K99"]',
      '["$@1"]',
      '["$Q1"]',
      '["$T"]',
      '["$h1"]',
      '{"__proto__":1}',
      "[",
      '["$n"]',
      '["$D"]',
      '["$W1"]',
      '["$B1"]',
      "null",
    )
    .map((text) => ({
      label: "broken React reference",
      contentType: "text/plain;charset=UTF-8",
      body: Buffer.from(text),
    })),
  fc.string({ maxLength: 200 }).map((text) => ({
    label: "truncated multipart",
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"\r\n\r\n${text}`),
  })),
  fc
    .constantFrom(
      "application/json",
      "application/x-www-form-urlencoded",
      "text/html",
      "multipart/form-data",
      "image/png",
    )
    .chain((contentType) =>
      fc
        .string({ maxLength: 200 })
        .map((text) => ({ label: `wrong content type ${contentType}`, contentType, body: Buffer.from(text) })),
    ),
);

/**
 * A server action posted as a plain HTML form would post it (no Next-Action header): the action named
 * in the fields, as React's progressive enhancement does (`$ACTION_ID_<id>` for a plain action,
 * `$ACTION_REF_1` with its `$ACTION_1:0` metadata and bound arguments for a useActionState one),
 * multipart or urlencoded, around hostile fields. Next runs the multipart ones (issue 16, finding 8).
 */
export const formActionBody = (actionId: string, forgedIds: string[], realFields: Record<string, string> = {}) =>
  fc
    .record({
      naming: fc.constantFrom("id", "ref"),
      encoding: fc.constantFrom("multipart", "urlencoded"),
      fields: fc.array(fc.tuple(fc.constantFrom(...FIELD_NAMES), hostileText(forgedIds)), { maxLength: 6 }),
      real: fc.boolean(),
    })
    .map(({ naming, encoding, fields, real }) => {
      const pairs: [string, string][] =
        naming === "id"
          ? [[`$ACTION_ID_${actionId}`, ""]]
          : [
              ["$ACTION_REF_1", ""],
              ["$ACTION_1:0", JSON.stringify({ id: actionId, bound: "$@1" })],
              ["$ACTION_1:1", "[null]"],
              ["$ACTION_KEY", "k1"],
            ];
      pairs.push(...(real ? Object.entries(realFields) : fields));
      return formPost(
        pairs,
        encoding,
        `${encoding} form naming the action by ${naming === "id" ? "$ACTION_ID_" : "$ACTION_REF_"}${real ? " (real fields)" : ""}`,
      );
    });

/** Fields as the body of a plain form post, multipart (as the platform encodes FormData) or urlencoded. */
export async function formPostBody(pairs: [string, string][], encoding: "multipart" | "urlencoded"): Promise<RawBody> {
  if (encoding === "urlencoded")
    return {
      label: "urlencoded form",
      contentType: "application/x-www-form-urlencoded",
      body: Buffer.from(new URLSearchParams(pairs).toString()),
    };
  const data = formData({});
  for (const [name, value] of pairs) data.append(name, value);
  const wire = new Response(data);
  return {
    label: "multipart form",
    contentType: wire.headers.get("content-type")!,
    body: Buffer.from(await wire.arrayBuffer()),
  };
}

const formPost = (pairs: [string, string][], encoding: "multipart" | "urlencoded", label: string) => ({
  pairs,
  encoding,
  label,
});
