import { apiError } from "@/lib/api/http";

export const dynamic = "force-dynamic";

/**
 * Any /api path no route handler claims: the API's own error object, not the HTML 404 page. A client
 * that follows RFC 3986 §5.2.4 sends `/api/v1/accounts/./transactions` as `/api/v1/accounts/transactions`,
 * so an id of "." or ".." lands here and must still get an answer it can parse.
 */
function notFound(): Response {
  return apiError(404, "not_found", "There is no such API path. The paths are listed at /api/v1/openapi.json.");
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
