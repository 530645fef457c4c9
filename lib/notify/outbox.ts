import "server-only";
import type { db, Tx } from "@/lib/db";

/** A message as the customer gets it: a plain-text part and an HTML part (docs/notifications.md). */
export type Mail = {
  kind: string;
  userId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Its "This wasn't me" link, filled in when it is sent (lib/notify/links.ts). */
  freezeLinkId?: string | null;
};

/**
 * Queues a message in the transaction of the event it tells of: if the event rolls back, so does the
 * message, and if it commits, the message will be delivered (lib/notify/worker.ts). Sending never
 * blocks or fails the operation: nothing here talks to a mail server.
 */
export async function enqueueMail(tx: Tx | typeof db, mail: Mail): Promise<string> {
  const row = await tx.outboxMessage.create({ data: mail, select: { id: true } });
  return row.id;
}
