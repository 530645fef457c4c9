import "server-only";
import { isIP } from "node:net";
import { headers } from "next/headers";
import type { AuditAction } from "@/lib/audit/actions";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

export type AuditOutcome = "SUCCESS" | "FAILURE" | "DENIED" | "STEP_UP_REQUIRED" | "EXEMPTED";

export type AuditInput = {
  userId: string | null;
  /** A labelled name (lib/audit/actions.ts), so the activity log can show every row. */
  action: AuditAction;
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
 * The client's address, as the operator's own proxies saw it (README "Client addresses").
 * Each trusted proxy appends the address of whoever connected to it to X-Forwarded-For, so with
 * `hops` proxies the client is the hops-th entry from the right. Everything to its left came from the
 * client itself and is never read: the left-most entry is whatever the client wanted it to be.
 * With no trusted proxy (hops 0) there is no address at all: `next start` keeps a client's own
 * X-Forwarded-For and fills it from the socket only when the request has none
 * (next/dist/server/base-server.js), so route code can't tell the two apart. X-Real-IP is never read.
 */
export function clientIpOf(h: Pick<Headers, "get">, hops: number): string | null {
  if (hops < 1) return null;
  const entries = (h.get("x-forwarded-for") ?? "").split(",").map((e) => e.trim());
  // Fewer entries than proxies: the request didn't come through all of them (or a proxy sent nothing).
  if (entries.length < hops) return null;
  const entry = entries[entries.length - hops].replace(/^\[(.*)\]$/, "$1");
  return isIP(entry) ? entry : null;
}

/** The client's address under this deployment's TRUSTED_PROXY_HOPS, or null when none can be known. */
export function clientIpFrom(h: Pick<Headers, "get">): string | null {
  return clientIpOf(h, env.TRUSTED_PROXY_HOPS);
}

/** The caller's IP and user agent, or nulls outside a request (seed, scripts, tests). */
export async function getRequestContext(): Promise<RequestContext> {
  try {
    const h = await headers();
    return {
      ip: clientIpFrom(h),
      userAgent: h.get("user-agent")?.slice(0, MAX_HEADER_LENGTH) ?? null,
      requestId: h.get(REQUEST_ID_HEADER),
    };
  } catch {
    return { ip: null, userAgent: null, requestId: null };
  }
}

/**
 * The log line of an audit event: which request, who, what was decided and why, and the event's
 * (secret-free) metadata. No IP or user agent: those stay in the audit table.
 */
export function auditLogRecord(event: AuditInput, requestId: string | null | undefined) {
  return {
    requestId: requestId ?? null,
    userId: event.userId,
    event: event.action,
    outcome: event.outcome,
    reason: event.reason ?? null,
    ...event.metadata,
  };
}

type AuditRow = {
  userId: string | null;
  action: string;
  outcome: AuditOutcome;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: string;
};

/** The rows an auditedTransaction is holding, written in one statement just before it commits. */
const held = new WeakMap<object, AuditRow[]>();

/**
 * Appends one audit event, and logs it. Pass the transaction when the event belongs to a change, so
 * the change and its record commit or roll back together. Nothing ever updates or deletes these rows.
 */
export async function recordAudit(event: AuditInput, tx: Tx | typeof db = db) {
  const row = await auditRowOf(event);
  const rows = held.get(tx);
  if (rows) rows.push(row);
  else await tx.auditEvent.create({ data: row });
}

/**
 * The row an audit event is stored as, logged now: for a caller that writes it in a batch
 * transaction beside the change it records (`db.$transaction([change, db.auditEvent.create({ data: row })])`).
 */
export async function auditRowOf(event: AuditInput): Promise<AuditRow> {
  const context = event.context ?? (await getRequestContext());
  log.info(auditLogRecord(event, context.requestId), event.action);
  return {
    userId: event.userId,
    action: event.action,
    outcome: event.outcome,
    reason: event.reason ?? null,
    ip: context.ip,
    userAgent: context.userAgent,
    metadata: JSON.stringify(event.metadata ?? {}),
  };
}

/**
 * A transaction whose audit rows (every recordAudit(…, tx) inside it) are inserted together, in one
 * statement, as its last write: an operation and the guard decision that let it through cost one
 * INSERT for their records, not one each, and still commit or roll back with the change.
 */
export function auditedTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    const rows: AuditRow[] = [];
    held.set(tx, rows);
    try {
      const result = await work(tx);
      if (rows.length > 0) await tx.auditEvent.createMany({ data: rows });
      return result;
    } finally {
      held.delete(tx);
    }
  });
}
