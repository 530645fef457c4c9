import "server-only";
import { z } from "zod";

/**
 * The one reader of process.env. Every variable is validated here, once, when the server (or a
 * script) starts; the rest of the code imports `env` and never touches process.env.
 * `.env.example` documents each variable with a working local default.
 */

const booleanString = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const databaseUrl = z
  .string()
  .trim()
  .refine((url) => /^file:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url), {
    message: 'must be a SQLite "file:…" URL or a "postgresql://…" URL',
  });

/** A comma-separated list of exact origins (scheme://host[:port]). */
const origins = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, "each origin must look like https://vault.example.com"),
      )
      .min(1, "list at least one origin"),
  );

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** SQLite file by default (nothing to install); postgresql://… in production and CI. */
  DATABASE_URL: databaseUrl.default("file:./prisma/dev.db"),
  /** Encrypts the session JWT (Auth.js). `npm run setup` generates one into .env on first run. */
  AUTH_SECRET: z
    .string({ error: "is required (npm run setup generates one into .env)" })
    .min(32, "must be at least 32 characters (npm run setup generates one)"),
  /** Trust the Host / X-Forwarded-Host header. Needed by `next start` behind a proxy or on localhost. */
  AUTH_TRUST_HOST: booleanString.default(true),
  /** WebAuthn relying party id: the registrable domain passkeys are bound to. Never taken from the Host header. */
  WEBAUTHN_RP_ID: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+$/, "must be a bare domain such as vault.example.com or localhost")
    .default("localhost"),
  WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).default("Vault"),
  /**
   * The exact origins (scheme://host[:port]) a WebAuthn response may come from, comma-separated.
   * Unset: http://localhost:<PORT>, the port Next listens on (it sets PORT once it listens), so
   * `npm run dev -- --port 4000` needs no other change. Never 127.0.0.1: an IP address can't be an
   * RP ID (WebAuthn L3 §5.1.3), so next.config.js redirects 127.0.0.1 to localhost instead.
   */
  WEBAUTHN_ORIGINS: origins.optional(),
  /** Set by `next dev` / `next start` to the port they listen on; only used for the defaults above. */
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /**
   * The origins allowed to call server actions (an Origin check in proxy.ts, on top of Next's own).
   * Defaults to WEBAUTHN_ORIGINS: the addresses Vault is served from.
   */
  APP_ORIGINS: origins.optional(),
  /**
   * How many reverse proxies the operator runs in front of Vault, each appending the address it saw to
   * X-Forwarded-For (README "Client addresses"). 0 (the default): none, so no header is believed and
   * requests have no per-address identity: `next start` passes a client's own X-Forwarded-For through
   * untouched and gives route code no other way to see the connection. N: the client is the Nth entry
   * from the right; everything left of it was written by the client and is ignored.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long a pending step-up intent lives. PSD2 RTS Art. 4(3)(d): at most 5 minutes. */
  STEP_UP_INTENT_TTL_S: z.coerce.number().int().min(1).max(300).default(300),
  /** A session ends after this long without a request. NIST SP 800-63B-4 §2.2.3 (AAL2): at most 1 hour. */
  SESSION_IDLE_TIMEOUT_S: z.coerce.number().int().min(60).max(3600).default(1800),
  /** A session ends this long after sign-in, whatever the activity. NIST SP 800-63B-4 §2.2.3 (AAL2): at most 24 hours. */
  SESSION_MAX_AGE_S: z.coerce
    .number()
    .int()
    .min(300)
    .max(86_400)
    .default(12 * 60 * 60),
  /**
   * Optional single sign-on through an OpenID Provider (README "Single sign-on"). Set all three, or
   * none: without them Vault signs people in only with a password or a passkey.
   */
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: "must be the IdP's issuer URL, e.g. https://example.okta.com" })
    .optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  /**
   * The IdP `acr` Vault accepts as its own step-up level (README "Single sign-on"). Unset: SSO
   * customers step up with a passkey only. Set it only to a level your IdP enforces as strongly as
   * you need (e.g. phishing-resistant MFA).
   */
  OIDC_STEP_UP_ACR: z.string().trim().min(1).max(200).optional(),
  /**
   * For IdPs that show the second factor in `amr` rather than echoing the acr (Auth0 documents
   * checking `amr` for "mfa"): the RFC 8176 value that also counts. Unset: only the acr counts.
   */
  OIDC_STEP_UP_AMR: z
    .string()
    .trim()
    .regex(/^[a-z]{2,8}$/, "must be one RFC 8176 amr value, e.g. mfa")
    .optional(),
  /** The button's label: "Sign in with <OIDC_NAME>". */
  OIDC_NAME: z.string().trim().min(1).max(40).default("SSO"),
  /**
   * Where security messages go out (docs/notifications.md): an SMTP URL, e.g.
   * smtps://user:pass@smtp.example.com:465. Unset: messages wait in the outbox, undelivered.
   */
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      hostname: /^[^\s]+$/,
      error: "must be an smtp:// or smtps:// URL with a host, e.g. smtps://user:pass@smtp.example.com",
    })
    .optional(),
  /** The From of every message. */
  MAIL_FROM: z.string().trim().min(3).max(200).default("Vault Security <security@vault.example>"),
  /**
   * Who delivers the outbox: "inline", a worker inside each `next start` (the default; two instances
   * never send one message twice), or "off" where `npm run worker` runs as its own process.
   */
  MAIL_WORKER: z.enum(["inline", "off"]).default("inline"),
  /** Set by Next.js: the runtime this server code runs in (the mail worker starts only in "nodejs"). */
  NEXT_RUNTIME: z.enum(["nodejs", "edge"]).optional(),
  /** How often a worker looks for messages to send, in milliseconds. */
  MAIL_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * The development mailbox at /dev/mailbox (every queued message, readable without SMTP). On by
   * default under `next dev` only; never under `next start` unless set to "on" (it shows every
   * customer's mail to anyone).
   */
  DEV_MAILBOX: z.enum(["on", "off"]).optional(),
  /** Structured JSON logs on stdout (pino): "info" logs every audited decision; "silent" none. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type SsoConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  stepUpAcr: string | null;
  stepUpAmr: string | null;
};
export type Env = Omit<z.infer<typeof schema>, "APP_ORIGINS" | "WEBAUTHN_ORIGINS"> & {
  WEBAUTHN_ORIGINS: string[];
  APP_ORIGINS: string[];
  SSO: SsoConfig | null;
};

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join("\n")}\nSee .env.example.`);
    this.name = "EnvError";
  }
}

/**
 * Pure, so it can be unit-tested. During `next build` no secret is needed (every page that uses it
 * is dynamic and runs only at request time), so a placeholder stands in while Next collects pages.
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const building = source.NEXT_PHASE === "phase-production-build";
  const input = { ...source };
  for (const [key, value] of Object.entries(input)) if (value === "") delete input[key]; // "" means unset
  if (building && !input.AUTH_SECRET) input.AUTH_SECRET = "build-time-placeholder-never-used-at-runtime";
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = parsed.data;
  const sso = [issuer, clientId, clientSecret].filter((v) => v !== undefined).length;
  if (sso !== 0 && sso !== 3)
    throw new EnvError([
      "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three for single sign-on, or none",
    ]);
  const webauthnOrigins = parsed.data.WEBAUTHN_ORIGINS ?? [`http://localhost:${parsed.data.PORT}`];
  return {
    ...parsed.data,
    WEBAUTHN_ORIGINS: webauthnOrigins,
    APP_ORIGINS: parsed.data.APP_ORIGINS ?? webauthnOrigins,
    SSO:
      issuer && clientId && clientSecret
        ? {
            issuer,
            clientId,
            clientSecret,
            name: parsed.data.OIDC_NAME,
            stepUpAcr: parsed.data.OIDC_STEP_UP_ACR ?? null,
            stepUpAmr: parsed.data.OIDC_STEP_UP_AMR ?? null,
          }
        : null,
  };
}

export const env: Env = parseEnv(process.env);
