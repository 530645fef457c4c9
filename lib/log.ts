import "server-only";
import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * Field names whose values never reach the log, at the top level or one object down. Callers already
 * log no secrets (audit metadata is secret-free by contract); this is the second line of defence
 * (OWASP ASVS 5 V16.2.5: no credentials or payment details in logs).
 */
export const REDACTED_FIELDS = [
  "password",
  "currentPassword",
  "newPassword",
  "passwordHash",
  "code",
  "codeHash",
  "recoveryCodes",
  "token",
  "secret",
  "authorization",
  "cookie",
  "challenge",
  "response",
  "signature",
  "grant",
  "iban",
  "accountNumber",
  "number",
] as const;

/**
 * Vault's structured logger: one JSON object per line on stdout (pino), with an ISO time, the level by
 * name, and `service: "vault"`, for any log pipeline to pick up. Tests pass their own destination.
 */
export function createLogger(destination?: DestinationStream, level: string = env.LOG_LEVEL): Logger {
  return pino(
    {
      level,
      base: { service: "vault" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: "[redacted]" },
    },
    destination,
  );
}

export const log = createLogger();
