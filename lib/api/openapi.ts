import { SCOPES } from "@/lib/api/scopes";
import { ACCESS_TOKEN_TTL_S, CODE_TTL_S, STEP_UP_TOKEN_TTL_S } from "@/lib/api/token-lifetimes";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
/** An OAuth endpoint's form-encoded request body (RFC 6749 §3.2). */
const formBody = (required: string[], properties: Record<string, object>) => ({
  required: true,
  content: { "application/x-www-form-urlencoded": { schema: { type: "object", required, properties } } },
});
const jsonBody = (schema: object, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const moneyFields = (name: string, what: string) => ({
  [name]: {
    type: "string",
    pattern: "^-?\\d+\\.\\d{2}$",
    description: `${what}, as a decimal string`,
    examples: ["1250.00"],
  },
  [`${name}_minor`]: {
    type: "integer",
    description: `${what}, in minor units (cents): exact, never a float`,
    examples: [125000],
  },
});

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Written by hand next to
 * the routes; lib/api/openapi.test.ts validates it against the OpenAPI 3.1 schema and checks that
 * every route under app/api/v1 is described.
 */
export const OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Vault API",
    version: "1.0.0",
    description:
      "Read accounts and move money with a personal access token. Moving money to a payee needs the customer's passkey, each time: " +
      "the API answers 401 insufficient_user_authentication (RFC 9470) naming the intent it stored, the customer confirms it at " +
      "/oauth/authorize, and the client exchanges the code for a single-use token bound to that one intent. See the README's API section.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        description: `An opaque access token from /oauth/token, valid ${ACCESS_TOKEN_TTL_S / 60} minutes.`,
      },
      oauth2: {
        type: "oauth2",
        flows: {
          clientCredentials: { tokenUrl: "/api/v1/oauth/token", scopes: SCOPES },
          authorizationCode: {
            authorizationUrl: "/oauth/authorize",
            tokenUrl: "/api/v1/oauth/token",
            scopes: SCOPES,
          },
        },
      },
    },
    headers: {
      "WWW-Authenticate": {
        description:
          'RFC 6750 §3 / RFC 9470 §3 challenge, e.g. Bearer realm="vault", error="insufficient_user_authentication", acr_values="urn:vault:acr:phr", max_age="0"',
        schema: { type: "string" },
      },
      "Retry-After": {
        description: "Seconds to wait before asking again (RFC 9110 §10.2.3)",
        schema: { type: "integer" },
      },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error", "error_description"],
        properties: {
          error: {
            type: "string",
            description:
              "A code: invalid_request, invalid_token, insufficient_scope, insufficient_user_authentication, not_found, …",
          },
          error_description: { type: "string", description: "For people" },
          field_errors: { type: "object", additionalProperties: { type: "string" } },
          scope: { type: "string", description: "With insufficient_scope: the scope the call needs" },
        },
      },
      StepUpRequired: {
        allOf: [
          ref("Error"),
          {
            type: "object",
            required: ["acr_values", "max_age", "intent", "authorization_endpoint"],
            properties: {
              acr_values: { type: "string", examples: ["urn:vault:acr:phr"] },
              max_age: {
                type: "integer",
                description: "Seconds since the customer's last active authentication; 0: confirm this operation",
              },
              intent: {
                type: "object",
                required: ["id"],
                properties: {
                  id: {
                    type: "string",
                    description: "The operation, stored and waiting for the customer (intent_id at /oauth/authorize)",
                  },
                  summary: { type: "string", examples: ["Send $1,250.00 to ACME Ltd"] },
                  expires_at: { type: "string", format: "date-time" },
                },
              },
              authorization_endpoint: { type: "string", examples: ["/oauth/authorize"] },
            },
          },
        ],
      },
      Account: {
        type: "object",
        required: ["id", "name", "type", "currency", "last4", "balance", "balance_minor"],
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          type: { enum: ["checking", "savings"] },
          currency: { type: "string", examples: ["USD"] },
          last4: { type: "string", pattern: "^\\d{4}$" },
          ...moneyFields("balance", "The balance"),
        },
      },
      Transaction: {
        type: "object",
        required: [
          "id",
          "transfer_id",
          "reference",
          "currency",
          "amount",
          "amount_minor",
          "balance_after",
          "balance_after_minor",
          "created_at",
        ],
        properties: {
          id: { type: "string" },
          transfer_id: { type: "string" },
          reference: { type: "string", examples: ["VLT-7Q2M-K9XD"] },
          memo: { type: ["string", "null"] },
          counterparty: { type: "string" },
          currency: { type: "string" },
          ...moneyFields("amount", "Signed: negative leaves the account"),
          ...moneyFields("balance_after", "The balance right after this entry"),
          created_at: { type: "string", format: "date-time" },
        },
      },
      TransferRequest: {
        type: "object",
        required: ["from_account_id", "to", "amount"],
        properties: {
          from_account_id: { type: "string" },
          to: {
            type: "string",
            pattern: "^(account|payee):[A-Za-z0-9_-]{1,64}$",
            description: "account:<your account id> or payee:<your payee id>",
          },
          amount: { type: "string", examples: ["1250.00"], description: "A decimal string; at most $25,000.00" },
          memo: { type: "string", maxLength: 140 },
        },
      },
      Transfer: {
        type: "object",
        required: [
          "id",
          "reference",
          "status",
          "from_account_id",
          "to",
          "currency",
          "amount",
          "amount_minor",
          "sca",
          "created_at",
          "replayed",
        ],
        properties: {
          id: { type: "string" },
          reference: { type: "string" },
          status: { const: "completed" },
          from_account_id: { type: "string" },
          to: { type: "string" },
          currency: { type: "string" },
          ...moneyFields("amount", "The amount sent"),
          memo: { type: ["string", "null"] },
          sca: {
            enum: ["none", "exempt_low_value", "exempt_tra", "step_up", "step_up_spc"],
            description:
              "How strong customer authentication was met (PSD2 RTS Art. 4; exemptions: Art. 16 low value, Art. 18 transaction-risk analysis; step_up_spc: confirmed in the browser's Secure Payment Confirmation dialog)",
          },
          created_at: { type: "string", format: "date-time" },
          replayed: {
            type: "boolean",
            description: "True when this answers a retry with an Idempotency-Key already used",
          },
        },
      },
      TokenResponse: {
        type: "object",
        required: ["access_token", "token_type", "expires_in", "scope"],
        properties: {
          access_token: { type: "string" },
          token_type: { const: "Bearer" },
          expires_in: {
            type: "integer",
            description: `${ACCESS_TOKEN_TTL_S} s; a step-up token ${STEP_UP_TOKEN_TTL_S} s and single-use`,
          },
          scope: { type: "string" },
          intent_id: { type: "string", description: "A step-up token's one intent" },
        },
      },
    },
    responses: {
      Unauthorized: {
        ...jsonBody(
          ref("Error"),
          "No, malformed, unknown, expired, revoked or used token (RFC 6750 §3.1 invalid_token)",
        ),
        headers: { "WWW-Authenticate": { $ref: "#/components/headers/WWW-Authenticate" } },
      },
      InsufficientAuthentication: {
        ...jsonBody(
          { oneOf: [ref("StepUpRequired"), ref("Error")] },
          "RFC 9470: the customer must authenticate more strongly or more recently (or the token is invalid)",
        ),
        headers: { "WWW-Authenticate": { $ref: "#/components/headers/WWW-Authenticate" } },
      },
      InsufficientScope: {
        ...jsonBody(ref("Error"), "The token lacks the scope (RFC 6750 §3.1 insufficient_scope)"),
        headers: { "WWW-Authenticate": { $ref: "#/components/headers/WWW-Authenticate" } },
      },
      TooManyRequests: {
        ...jsonBody(
          ref("Error"),
          "too_many_intents: this customer's clients started 30 confirmations within an intent's lifetime; nothing was stored",
        ),
        headers: { "Retry-After": { $ref: "#/components/headers/Retry-After" } },
      },
      NotFound: jsonBody(ref("Error"), "Not one of this customer's"),
      Invalid: jsonBody(ref("Error"), "Invalid input; nothing changed"),
    },
  },
  paths: {
    "/accounts": {
      get: {
        summary: "Your accounts and balances",
        security: [{ bearer: [] }, { oauth2: ["accounts:read"] }],
        responses: {
          "200": jsonBody(
            { type: "object", required: ["data"], properties: { data: { type: "array", items: ref("Account") } } },
            "The accounts",
          ),
          "401": response("Unauthorized"),
          "403": response("InsufficientScope"),
        },
      },
    },
    "/accounts/{id}/transactions": {
      get: {
        summary: "One account's ledger, newest first, 20 a page",
        security: [{ bearer: [] }, { oauth2: ["transfers:read"] }],
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
        ],
        responses: {
          "200": jsonBody(
            {
              type: "object",
              required: ["account_id", "page", "next_page", "data"],
              properties: {
                account_id: { type: "string" },
                page: { type: "integer" },
                next_page: { type: ["integer", "null"] },
                data: { type: "array", items: ref("Transaction") },
              },
            },
            "A page of entries",
          ),
          "401": response("Unauthorized"),
          "403": response("InsufficientScope"),
          "404": response("NotFound"),
        },
      },
    },
    "/accounts/{id}/number": {
      get: {
        summary: "The full account number (policy account.reveal: a passkey within 10 minutes)",
        security: [{ bearer: [] }, { oauth2: ["accounts:read"] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": jsonBody(
            {
              type: "object",
              required: ["account_id", "number"],
              properties: { account_id: { type: "string" }, number: { type: "string" } },
            },
            "The number",
          ),
          "401": response("InsufficientAuthentication"),
          "403": response("InsufficientScope"),
          "404": response("NotFound"),
          "429": response("TooManyRequests"),
        },
      },
    },
    "/transfers": {
      post: {
        summary: "Move money (policies transfer.own and transfer.payee)",
        security: [{ bearer: [] }, { oauth2: ["transfer:funds"] }],
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: true,
            schema: { type: "string", pattern: "^[A-Za-z0-9_-]{16,64}$" },
            description: "New for each payment; a retry with the same key returns the first result",
          },
        ],
        requestBody: { required: true, content: { "application/json": { schema: ref("TransferRequest") } } },
        responses: {
          "201": jsonBody(ref("Transfer"), "Sent"),
          "200": jsonBody(ref("Transfer"), "A retry: the first result, nothing moved again"),
          "400": response("Invalid"),
          "401": response("InsufficientAuthentication"),
          "403": response("InsufficientScope"),
          "404": response("NotFound"),
          "422": response("Invalid"),
          "429": response("TooManyRequests"),
        },
      },
    },
    "/oauth/token": {
      post: {
        summary:
          "Access tokens: client_credentials (the personal access token) or authorization_code + PKCE (a single-use step-up token)",
        security: [],
        requestBody: formBody(["grant_type"], {
          grant_type: { enum: ["client_credentials", "authorization_code"] },
          scope: { type: "string" },
          code: { type: "string", description: `From /oauth/authorize; single-use, ${CODE_TTL_S} s` },
          redirect_uri: { type: "string" },
          code_verifier: { type: "string" },
          client_id: { type: "string", description: "Or HTTP Basic" },
          client_secret: { type: "string", description: "The personal access token; or HTTP Basic" },
        }),
        responses: {
          "200": jsonBody(ref("TokenResponse"), "A token"),
          "400": jsonBody(
            ref("Error"),
            "invalid_request, invalid_grant, invalid_scope or unsupported_grant_type (RFC 6749 §5.2)",
          ),
          "401": jsonBody(ref("Error"), "invalid_client"),
          "429": {
            ...jsonBody(
              ref("Error"),
              "too_many_requests: this client minted 20 access tokens within a minute; nothing was used up",
            ),
            headers: { "Retry-After": { $ref: "#/components/headers/Retry-After" } },
          },
        },
      },
    },
    "/oauth/introspect": {
      post: {
        summary:
          "RFC 7662 introspection of one of this client's access tokens: active, scope, exp, and RFC 9470 §6.2's acr and auth_time",
        security: [],
        requestBody: formBody(["token"], {
          token: { type: "string" },
          client_id: { type: "string" },
          client_secret: { type: "string" },
        }),
        responses: {
          "200": jsonBody(
            {
              type: "object",
              required: ["active"],
              properties: {
                active: { type: "boolean" },
                scope: { type: "string" },
                client_id: { type: "string" },
                token_type: { const: "Bearer" },
                exp: { type: "integer" },
                iat: { type: "integer" },
                acr: { type: "string" },
                auth_time: {
                  type: "integer",
                  description: "Epoch seconds of the customer's last active authentication behind the token",
                },
                intent_id: { type: "string" },
              },
            },
            "The token's state; only { active: false } for anything not active or not this client's",
          ),
          "400": jsonBody(ref("Error"), "invalid_request"),
          "401": jsonBody(ref("Error"), "invalid_client"),
        },
      },
    },
    "/openapi.json": {
      get: {
        summary: "This document",
        security: [],
        responses: { "200": jsonBody({ type: "object" }, "OpenAPI 3.1") },
      },
    },
  },
} as const;
