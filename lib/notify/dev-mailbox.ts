import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { withFreezeLink } from "@/lib/notify/links";

/**
 * The development mailbox (/dev/mailbox): every queued message, so `npm run dev` shows the mail with
 * no SMTP set up. On under `next dev` unless DEV_MAILBOX=off; off under `next start` unless
 * DEV_MAILBOX=on, since it shows every customer's messages to anyone who asks.
 */
export const devMailboxEnabled = () =>
  env.DEV_MAILBOX === "on" || (env.DEV_MAILBOX === undefined && env.NODE_ENV === "development");

export type DevMail = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: Date;
  sentAt: Date | null;
};

/** As the recipient reads them: each with its freeze link filled in, as the worker sends it. */
export async function listDevMailbox(take = 50): Promise<DevMail[]> {
  const rows = await db.outboxMessage.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      to: true,
      subject: true,
      text: true,
      html: true,
      createdAt: true,
      sentAt: true,
      freezeLinkId: true,
    },
  });
  return rows.map(({ freezeLinkId, ...m }) => ({
    ...m,
    text: withFreezeLink(m.text, freezeLinkId),
    html: withFreezeLink(m.html, freezeLinkId),
  }));
}
