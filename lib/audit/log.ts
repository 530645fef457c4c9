import "server-only";
import { headers } from "next/headers";
import { db, type Tx } from "@/lib/db";
import { log } from "@/lib/log";

export type AuditOutcome = "SUCCESS" | "FAILURE" | "DENIED" | "STEP_UP_REQUIRED" | "EXEMPTED";

export type AuditInput = {
  userId: string | null;
  action: string;
  outcome: AuditOutcome;
  reason?: string;
  /** Structured context. Never put secrets, passwords, tokens or full account numbers here. */
  metadata?: Record<string, string | number | boolean | null>;
  /** Where the request came from, when the caller knows better than next/headers (proxy.ts). */
  context?: RequestContext;
};

export type RequestContext = { ip: string | null; userAgent: string | null; requestId?: string | null };

/** The header proxy.ts puts on every request (and its response), so logs can be joined to one request. */
export const REQUEST_ID_HEADER = "x-request-id";

const MAX_HEADER_LENGTH = 512;

/**
 * The client's address from request headers. Behind a load balancer the first X-Forwarded-For hop is
 * the client; Vault binds to loopback in development, so without the header there is no address.
 */
export function clientIpFrom(h: Pick<Headers, "get">): string | null {
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip");
  return forwarded ? forwarded.slice(0, 64) : null;
}

/** The caller's IP and user agent, or nulls outside a request (seed, scripts, tests). */
export async function getRequestContext(): Promise<RequestContext> {
  try {
    const h = await headers();
    return { ip: clientIpFrom(h), userAgent: h.get("user-agent")?.slice(0, MAX_HEADER_LENGTH) ?? null, requestId: h.get(REQUEST_ID_HEADER) };
  } catch {
    return { ip: null, userAgent: null, requestId: null };
  }
}

/**
 * The log line of an audit event: which request, who, what was decided and why, and the event's
 * (secret-free) metadata. No IP or user agent: those stay in the audit table.
 */
export function auditLogRecord(event: AuditInput, requestId: string | null | undefined) {
  return { requestId: requestId ?? null, userId: event.userId, event: event.action, outcome: event.outcome, reason: event.reason ?? null, ...event.metadata };
}

/**
 * Appends one audit event, and logs it. Pass the transaction when the event belongs to a change, so
 * the change and its record commit or roll back together. Nothing ever updates or deletes these rows.
 */
export async function recordAudit(event: AuditInput, tx: Tx | typeof db = db) {
  const context = event.context ?? (await getRequestContext());
  log.info(auditLogRecord(event, context.requestId), event.action);
  await tx.auditEvent.create({
    data: {
      userId: event.userId,
      action: event.action,
      outcome: event.outcome,
      reason: event.reason ?? null,
      ip: context.ip,
      userAgent: context.userAgent,
      metadata: JSON.stringify(event.metadata ?? {}),
    },
  });
}
