import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/current-user";
import { cache } from "react";
import { formatHoldEnd, HOLD_COLUMNS, holdOf } from "@/lib/assurance/recovery-hold";
import { FREEZE_COLUMNS, freezeOf, type Freeze } from "@/lib/auth/freeze";
import { requestTimeZone } from "@/lib/request-time-zone";
import { db } from "@/lib/db";
import { NOTICES, notify, SWITCHABLE_NOTICES, type NoticeKind } from "@/lib/notify/messages";

/** A notice as the security centre lists it. */
export type NoticeView = {
  id: string;
  kind: string;
  text: string;
  device: string | null;
  ip: string | null;
  createdAt: Date;
  unread: boolean;
};

/** The signed-in customer's latest notices, and how many of all of them are unread. */
export async function listMyNotices(take = 10): Promise<{ notices: NoticeView[]; unread: number }> {
  const user = await requireUser();
  const [rows, unread] = await Promise.all([
    db.securityNotice.findMany({
      where: { userId: user.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, kind: true, text: true, device: true, ip: true, createdAt: true, readAt: true },
    }),
    db.securityNotice.count({ where: { userId: user.id, readAt: null } }),
  ]);
  return { notices: rows.map(({ readAt, ...row }) => ({ ...row, unread: readAt === null })), unread };
}

/** Marks every notice of the signed-in customer read; returns how many were unread. */
export async function markMyNoticesRead(): Promise<number> {
  const user = await requireUser();
  const { count } = await db.securityNotice.updateMany({
    where: { userId: user.id, readAt: null },
    data: { readAt: new Date() },
  });
  return count;
}

export type NoticePreference = { kind: NoticeKind; label: string; always: boolean; email: boolean };

/** Which security emails the signed-in customer gets: every kind, the ones that can't be switched off marked. */
export async function getMyNoticePreferences(): Promise<NoticePreference[]> {
  const user = await requireUser();
  const off = new Set(
    (await db.noticeOptOut.findMany({ where: { userId: user.id }, select: { kind: true } })).map((r) => r.kind),
  );
  return (Object.keys(NOTICES) as NoticeKind[]).map((kind) => ({
    kind,
    label: NOTICES[kind].topic,
    always: NOTICES[kind].always,
    email: NOTICES[kind].always || !off.has(kind),
  }));
}

/**
 * Sets which switchable emails the customer gets: exactly the kinds in `on` (others in the request are
 * ignored; the kinds that can't be switched off are never stored). Audited, and told by an email that
 * can't be switched off. No step-up: it changes only what Vault emails, and the security centre keeps
 * every notice either way.
 */
export async function setMyNoticePreferences(on: ReadonlySet<string>): Promise<void> {
  const user = await requireUser();
  const off = SWITCHABLE_NOTICES.filter((kind) => !on.has(kind));
  await db.$transaction(async (tx) => {
    const before = (await tx.noticeOptOut.findMany({ where: { userId: user.id }, select: { kind: true } }))
      .map((r) => r.kind)
      .filter((kind) => (SWITCHABLE_NOTICES as string[]).includes(kind))
      .sort();
    if (before.join(",") === [...off].sort().join(",")) return; // nothing changed: nothing to record or tell
    await tx.noticeOptOut.deleteMany({ where: { userId: user.id } });
    if (off.length > 0) await tx.noticeOptOut.createMany({ data: off.map((kind) => ({ userId: user.id, kind })) });
    await recordAudit(
      { userId: user.id, action: "notice.preferences", outcome: "SUCCESS", metadata: { off: off.join(",") || "none" } },
      tx,
    );
    // Always told (it can't be switched off): someone silencing the emails before acting is itself news.
    await notify(tx, user.id, "preferences.changed", {
      off: off.length ? off.map((kind) => NOTICES[kind].topic.toLowerCase()).join(", ") : "none",
    });
  });
}

/**
 * The signed-in customer's standing, for the banners on every bank page: a recovery cooling-off (its
 * end, in their time zone) and a freeze. One read of their row, once per request (the layout and the
 * security page share it).
 */
export const getMyStanding = cache(
  async (): Promise<{ hold: { until: Date; text: string } | null; freeze: Freeze | null }> => {
    const user = await requireUser();
    const row = await db.user.findUnique({ where: { id: user.id }, select: { ...HOLD_COLUMNS, ...FREEZE_COLUMNS } });
    const hold = holdOf(row);
    return {
      hold: hold && { until: hold.until, text: formatHoldEnd(hold.until, await requestTimeZone()) },
      freeze: freezeOf(row),
    };
  },
);

/** The signed-in customer's freeze, if their account is frozen now. */
export async function getMyFreeze(): Promise<Freeze | null> {
  return (await getMyStanding()).freeze;
}
