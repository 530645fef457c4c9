/**
 * Is a server action's body something React can decode into arguments? Next answers 500 when it
 * can't (random bytes, a root that isn't an argument list, a reference to a part that isn't there),
 * so proxy.ts refuses those with a 400 first. What the arguments say is each action's own business.
 *
 * React's encodeReply sends either JSON as text/plain, or multipart/form-data whose field "0" is the
 * JSON root and whose other fields are the parts it references. In the JSON, a string starting with
 * "$" is special: "$$…" is an escaped "$", a few are constants, "$D" a date, "$n" a bigint, "$K<id>" a
 * FormData made of the fields named "<id>_…", and other "$<tag><id>" name part <id> (hexadecimal).
 */
const CONSTANTS = new Set(["$undefined", "$NaN", "$Infinity", "$-Infinity", "$-0"]);
const PART_REFERENCE = /^\$([A-Za-z@])([0-9a-f]+)$/;

/** Checks every string in a parsed JSON value; `parts` are the multipart field names (none for text/plain). */
export function isDecodableReplyValue(value: unknown, parts: ReadonlyMap<string, string | Blob>, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === "string") return isDecodableReference(value, parts, depth);
  if (Array.isArray(value)) return value.every((v) => isDecodableReplyValue(v, parts, depth + 1));
  if (value && typeof value === "object")
    return Object.values(value).every((v) => isDecodableReplyValue(v, parts, depth + 1));
  return true;
}

function isDecodableReference(text: string, parts: ReadonlyMap<string, string | Blob>, depth: number): boolean {
  if (!text.startsWith("$") || text.startsWith("$$") || CONSTANTS.has(text)) return true;
  if (text.startsWith("$D")) return true; // an unparsable date decodes to Invalid Date, not an error
  if (text.startsWith("$n")) return /^\$n-?\d{1,400}$/.test(text);
  const ref = PART_REFERENCE.exec(text);
  if (!ref) return false;
  const [, tag, hexId] = ref;
  if (tag === "K") return true; // FormData by field prefix: no fields is an empty FormData
  const part = parts.get(String(parseInt(hexId, 16)));
  if (part === undefined) return false;
  if (typeof part !== "string") return tag === "B"; // a Blob part is only read as a Blob
  if (tag === "B") return false;
  try {
    return isDecodableReplyValue(JSON.parse(part), parts, depth + 1);
  } catch {
    return false;
  }
}

/** The whole body: one of the two encodings, with an argument list (a JSON array) at its root. */
export async function isDecodableActionBody(request: Request): Promise<boolean> {
  const type = request.headers.get("content-type")?.toLowerCase() ?? "";
  try {
    if (type.startsWith("text/plain")) {
      const root: unknown = JSON.parse(await request.clone().text());
      return Array.isArray(root) && isDecodableReplyValue(root, new Map());
    }
    if (type.startsWith("multipart/form-data")) {
      const form = await request.clone().formData();
      const parts = new Map<string, string | Blob>();
      for (const [key, value] of form.entries()) if (!parts.has(key)) parts.set(key, value);
      const root = parts.get("0");
      if (typeof root !== "string") return false;
      const args: unknown = JSON.parse(root);
      return Array.isArray(args) && isDecodableReplyValue(args, parts);
    }
  } catch {
    return false;
  }
  return false;
}
