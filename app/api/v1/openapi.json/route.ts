import { json } from "@/lib/api/http";
import { OPENAPI } from "@/lib/api/openapi";

/** The API's OpenAPI 3.1 description: public, like any API reference. */
export function GET() {
  return json(200, OPENAPI, { "cache-control": "public, max-age=300" });
}
