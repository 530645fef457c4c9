import "server-only";
import { getRequestContext } from "@/lib/audit/log";
import { deviceOf } from "@/lib/audit/device";
import { BRAND } from "@/lib/brand";
import type { Tx } from "@/lib/db";
import { enqueueMail } from "@/lib/notify/outbox";

/**
 * What customers are told, and when (docs/notifications.md). Each notice names the event; every
 * message adds the time, the device and the address it came from. A notice never carries a secret,
 * a full account number, or a link that signs anyone in: `detail` is built from masked values.
 * `always`: the customer can't switch it off (the changes a thief makes first).
 */
export const NOTICES = {
  "passkey.added": {
    subject: "A passkey was added to your account",
    line: (d: Record<string, string>) => `A passkey named "${d.name}" was added to your account.`,
    always: true,
  },
  "password.changed": {
    subject: "Your password was changed",
    line: () => "Your password was changed, and every other sign-in was ended.",
    always: true,
  },
  "payee.added": {
    subject: "A payee was added",
    line: (d: Record<string, string>) => `A payee was added: ${d.name}, ${d.account}.`,
    always: false,
  },
  "payout.changed": {
    subject: "Your payout account was changed",
    line: (d: Record<string, string>) => `Payouts now go to ${d.account}.`,
    always: true,
  },
} as const satisfies Record<
  string,
  { subject: string; line: (detail: Record<string, string>) => string; always: boolean }
>;
export type NoticeKind = keyof typeof NOTICES;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The message for a notice: the same facts as plain text and as HTML (escaped: names are customer input). */
export function composeNotice(
  kind: NoticeKind,
  detail: Record<string, string>,
  facts: { name: string; at: Date; device: string | null; ip: string | null },
): { subject: string; text: string; html: string } {
  const notice = NOTICES[kind];
  const when = `${facts.at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const rows: [string, string][] = [
    ["When", when],
    ["Device", facts.device ?? "not known"],
    ["Address", facts.ip ?? "not known"],
  ];
  const line = notice.line(detail);
  const advice = `If this was you, there is nothing to do. If it wasn't, sign in to ${BRAND.name} from a device you trust and review Security now.`;
  const text = [
    `Hello ${facts.name},`,
    "",
    line,
    "",
    ...rows.map(([k, v]) => `${k}: ${v}`),
    "",
    advice,
    "",
    `${BRAND.name} Security`,
  ].join("\n");
  const html = [
    `<p>Hello ${escapeHtml(facts.name)},</p>`,
    `<p><strong>${escapeHtml(line)}</strong></p>`,
    `<table>${rows.map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`,
    `<p>${escapeHtml(advice)}</p>`,
    `<p>${escapeHtml(BRAND.name)} Security</p>`,
  ].join("\n");
  return { subject: `${BRAND.name}: ${notice.subject}`, text, html };
}

/**
 * Queues a notice to the customer in the transaction of the event it tells of (lib/notify/outbox.ts):
 * it exists exactly when the event commits. The request's device and address come from the request
 * itself, as the audit row's do.
 */
export async function notify(tx: Tx, userId: string, kind: NoticeKind, detail: Record<string, string>): Promise<void> {
  const [user, context] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true } }),
    getRequestContext(),
  ]);
  const message = composeNotice(kind, detail, {
    name: user.name,
    at: new Date(),
    device: deviceOf(context.userAgent),
    ip: context.ip,
  });
  await enqueueMail(tx, { kind, userId, to: user.email, ...message });
}
