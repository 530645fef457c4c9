import "server-only";
import { getRequestContext } from "@/lib/audit/log";
import { deviceOf } from "@/lib/audit/device";
import { BRAND } from "@/lib/brand";
import type { Tx } from "@/lib/db";
import { FREEZE_LINK_PLACEHOLDER, issueFreezeLink } from "@/lib/notify/links";
import { enqueueMail } from "@/lib/notify/outbox";

/**
 * What customers are told, and when (docs/notifications.md). Each notice names the event; every
 * message adds the time, the device and the address it came from. A notice never carries a secret,
 * a full account number, or a link that signs anyone in: `detail` is built from masked values.
 * `topic` names the kind in the preferences; `always`: the customer can't switch it off (the changes a thief makes first).
 */
export const NOTICES = {
  "signin.new_device": {
    topic: "Sign-ins from a new device",
    subject: "New sign-in from a device we haven't seen",
    line: (d: Detail) => `Someone signed in to your account (${d.method}) from a device not used to sign in before.`,
    always: false,
  },
  "recovery.sign_in": {
    topic: "Recovery-code sign-ins",
    subject: "A recovery code was used to sign in",
    line: (d: Detail) =>
      `Someone signed in with your password and a recovery code. For your safety, new payees, payout changes and payments that need confirming are on hold until ${d.until}.`,
    always: true,
  },
  "passkey.added": {
    topic: "Passkeys added",
    subject: "A passkey was added to your account",
    line: (d: Detail) => `A passkey named "${d.name}" was added to your account.`,
    always: true,
  },
  "passkey.removed": {
    topic: "Passkeys removed",
    subject: "A passkey was removed from your account",
    line: (d: Detail) => `The passkey "${d.name}" was removed from your account.`,
    always: false,
  },
  "password.changed": {
    topic: "Password changes",
    subject: "Your password was changed",
    line: () => "Your password was changed, and every other sign-in was ended.",
    always: true,
  },
  "payee.added": {
    topic: "Payees added",
    subject: "A payee was added",
    line: (d: Detail) => `A payee was added: ${d.name}, ${d.account}.`,
    always: false,
  },
  "payout.changed": {
    topic: "Payout account changes",
    subject: "Your payout account was changed",
    line: (d: Detail) => `Payouts now go to ${d.account}.`,
    always: true,
  },
  "payment.large": {
    topic: "Payments of $1,000 or more",
    subject: "A large payment was sent",
    line: (d: Detail) => `A payment of ${d.amount} was sent to ${d.payee}, from ${d.account}.`,
    always: false,
  },
  "api_token.created": {
    topic: "API tokens created",
    subject: "An API token was created",
    line: (d: Detail) => `An API token named "${d.name}" was created. It may: ${d.scopes}.`,
    always: false,
  },
  "sessions.ended": {
    topic: "Other sign-ins ended",
    subject: "Your other sign-ins were ended",
    line: (d: Detail) => `${d.count} other sign-in${d.count === "1" ? " was" : "s were"} ended from your account.`,
    always: false,
  },
  "preferences.changed": {
    topic: "Email preferences changed",
    subject: "Your security email preferences were changed",
    line: (d: Detail) => `Your security email preferences were changed. Emails now switched off: ${d.off}.`,
    always: true,
  },
  "account.frozen": {
    topic: "Account frozen",
    subject: "Your account is frozen",
    line: () =>
      "Your account was frozen: every sign-in and API token was ended, and payments, payee and payout changes, new passkeys, new API tokens and recovery-code sign-in are refused until you unfreeze it.",
    always: true,
  },
  "account.unfreeze_confirmed": {
    topic: "Unfreeze confirmed",
    subject: "Your account will be unfrozen",
    line: (d: Detail) =>
      `An unfreeze of your account was confirmed with your password and a passkey. It takes effect at ${d.at}; until then the account stays frozen.`,
    always: true,
  },
} as const satisfies Record<
  string,
  { topic: string; subject: string; line: (detail: Detail) => string; always: boolean }
>;
export type NoticeKind = keyof typeof NOTICES;

type Detail = Record<string, string>;

/** A payment to a payee at or above this is told to the customer ($1,000.00, in minor units). */
export const LARGE_PAYMENT_MINOR = 100_000n;

/** The kinds a customer may switch the email of off (the others are what a thief changes first). */
export const SWITCHABLE_NOTICES = (Object.keys(NOTICES) as NoticeKind[]).filter((k) => !NOTICES[k].always);
export const isNoticeKind = (value: unknown): value is NoticeKind =>
  typeof value === "string" && Object.hasOwn(NOTICES, value);

/** A time in a message: the same everywhere, whoever reads it, so in UTC and named so. */
export const utcTime = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The message for a notice: the same facts as plain text and as HTML (escaped: names are customer input). */
export function composeNotice(
  kind: NoticeKind,
  detail: Record<string, string>,
  facts: { name: string; at: Date; device: string | null; ip: string | null; freezeUrl: string },
): { subject: string; text: string; html: string } {
  const notice = NOTICES[kind];
  const rows: [string, string][] = [
    ["When", utcTime(facts.at)],
    ["Device", facts.device ?? "not known"],
    ["Address", facts.ip ?? "not known"],
  ];
  const line = notice.line(detail);
  const advice = "If this was you, there is nothing to do.";
  const freeze =
    "If it wasn't you, freeze your account now. It stops payments and changes and ends every sign-in; it doesn't sign you in. The link works once, for 7 days:";
  const text = [
    `Hello ${facts.name},`,
    "",
    line,
    "",
    ...rows.map(([k, v]) => `${k}: ${v}`),
    "",
    advice,
    freeze,
    facts.freezeUrl,
    "",
    `${BRAND.name} Security`,
  ].join("\n");
  const html = [
    `<p>Hello ${escapeHtml(facts.name)},</p>`,
    `<p><strong>${escapeHtml(line)}</strong></p>`,
    `<table>${rows.map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`,
    `<p>${escapeHtml(advice)}</p>`,
    `<p>${escapeHtml(freeze)}</p>`,
    `<p><a href="${escapeHtml(facts.freezeUrl)}">${escapeHtml("This wasn't me: freeze my account")}</a></p>`,
    `<p>${escapeHtml(BRAND.name)} Security</p>`,
  ].join("\n");
  return { subject: `${BRAND.name}: ${notice.subject}`, text, html };
}

/**
 * Tells the customer of an event, in the transaction of that event: it exists exactly when the event
 * commits. The security centre always gets it (SecurityNotice, unread until seen); the email goes too
 * unless the customer switched that kind off (only SWITCHABLE_NOTICES may be), and carries its own
 * freeze link (lib/notify/links.ts). The device and address come from the request, as the audit row's do.
 */
export async function notify(
  tx: Tx,
  userId: string,
  kind: NoticeKind,
  detail: Detail,
  now: Date = new Date(),
): Promise<void> {
  const notice = NOTICES[kind];
  const [user, context, optOut] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true } }),
    getRequestContext(),
    notice.always
      ? null
      : tx.noticeOptOut.findUnique({ where: { userId_kind: { userId, kind } }, select: { kind: true } }),
  ]);
  const device = deviceOf(context.userAgent);
  await tx.securityNotice.create({
    data: { userId, kind, text: notice.line(detail), device, ip: context.ip, createdAt: now },
  });
  if (optOut) return;
  const freezeLinkId = await issueFreezeLink(tx, userId, now);
  const message = composeNotice(kind, detail, {
    name: user.name,
    at: now,
    device,
    ip: context.ip,
    freezeUrl: FREEZE_LINK_PLACEHOLDER,
  });
  await enqueueMail(tx, { kind, userId, to: user.email, ...message, freezeLinkId });
}
