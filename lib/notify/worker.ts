import "server-only";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { withFreezeLink } from "@/lib/notify/links";

/** One message on its way out: what the transport is given. */
export type Outgoing = { messageId: string; to: string; subject: string; text: string; html: string };
/** Hands a message to the mail server; throws if it wasn't accepted. */
export type Send = (message: Outgoing) => Promise<void>;

export type DeliveryOptions = {
  /** This worker's name, for its claims (a process id and a random part). */
  workerId: string;
  send: Send;
  /** At most this many messages per round. */
  batch?: number;
  /** How long a claim lasts: long enough to send one message, short enough that a crashed worker's messages go out soon. */
  claimMs?: number;
  now?: () => Date;
};

/** Attempts before a message is given up on (its last error stays on the row). */
export const MAX_ATTEMPTS = 8;
/** Backoff after the n-th failure: 30 s, 1 min, 2 min, … capped at an hour. */
export const backoffMs = (attempts: number) => Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));

/**
 * The Message-ID a message always goes out with, derived from its outbox id: a resend after a crash
 * between sending and marking is the same message, which a well-behaved receiving server drops as a
 * duplicate (RFC 5322 §3.6.4: Message-ID is unique per message).
 */
export const messageIdOf = (id: string) => `<${id}@outbox.vault>`;

/**
 * One round of delivery: claims due messages one by one with a conditional write (so two workers,
 * on one instance or several, never both take one), sends each, and marks it sent, or schedules a
 * retry with backoff. A crashed worker's claims run out after `claimMs` and another worker (or it,
 * restarted) takes the messages again. Returns how many were sent.
 */
export async function deliverDue(options: DeliveryOptions): Promise<{ sent: number; failed: number }> {
  const { workerId, send, batch = 20, claimMs = 60_000, now = () => new Date() } = options;
  const due = (at: Date) => ({
    sentAt: null,
    attempts: { lt: MAX_ATTEMPTS },
    nextAttemptAt: { lte: at },
    OR: [{ claimedUntil: null }, { claimedUntil: { lt: at } }],
  });
  const candidates = await db.outboxMessage.findMany({
    where: due(now()),
    orderBy: { createdAt: "asc" },
    take: batch,
    select: { id: true },
  });
  let sent = 0;
  let failed = 0;
  for (const { id } of candidates) {
    const at = now();
    // The claim is one conditional UPDATE: whoever's write matches first has it.
    const [message] = await db.outboxMessage.updateManyAndReturn({
      where: { id, ...due(at) },
      data: { claimedBy: workerId, claimedUntil: new Date(at.getTime() + claimMs) },
    });
    if (!message) continue; // another worker took it
    try {
      await send({
        messageId: messageIdOf(message.id),
        to: message.to,
        subject: message.subject,
        text: withFreezeLink(message.text, message.freezeLinkId),
        html: withFreezeLink(message.html, message.freezeLinkId),
      });
    } catch (err) {
      failed++;
      const attempts = message.attempts + 1;
      await db.outboxMessage.updateMany({
        where: { id, claimedBy: workerId },
        data: {
          attempts,
          nextAttemptAt: new Date(now().getTime() + backoffMs(attempts)),
          lastError: String(err instanceof Error ? err.message : err).slice(0, 500),
          claimedBy: null,
          claimedUntil: null,
        },
      });
      log.warn({ outboxId: id, attempts, err }, "A security message could not be delivered; it will be retried");
      continue;
    }
    await db.outboxMessage.updateMany({
      where: { id, claimedBy: workerId },
      data: { sentAt: now(), attempts: message.attempts + 1, claimedBy: null, claimedUntil: null, lastError: null },
    });
    sent++;
  }
  return { sent, failed };
}
