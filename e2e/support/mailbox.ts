/**
 * What Vault emailed a customer, read from the e2e suite's SMTP catcher (e2e/tools/smtp-catcher.ts):
 * the real messages the worker inside `next start` delivered over SMTP.
 */
import { expect } from "@playwright/test";
import { SMTP_CATCHER } from "../playwright.config";

export type Mail = { messageId: string | null; subject: string; text: string; html: string; from: string };

export async function mailTo(email: string): Promise<Mail[]> {
  const res = await fetch(`http://127.0.0.1:${SMTP_CATCHER.httpPort}/messages?to=${encodeURIComponent(email)}`);
  if (!res.ok) throw new Error(`the SMTP catcher answered ${res.status}`);
  return (await res.json()) as Mail[];
}

/** Waits for the message whose subject matches (the worker polls, then SMTP), and returns it. */
export async function waitForMail(email: string, subject: RegExp, { timeout = 15_000 } = {}): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        found = (await mailTo(email)).findLast((m) => subject.test(m.subject));
        return found?.subject ?? null;
      },
      // Every 250 ms: the server's mail worker polls every 500 ms, and expect.poll's default steps (up to
      // a second apart) would leave each test waiting for mail that has already arrived.
      { timeout, intervals: [100, 250], message: `an email to ${email} with subject ${subject}` },
    )
    .toMatch(subject);
  return found!;
}

/** The "This wasn't me" link in a message, as a path on the app (the origin is the server's own). */
export function freezeLinkOf(mail: Mail): string {
  const url = /https?:\/\/[^\s/]+(\/freeze\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  if (!url) throw new Error(`no freeze link in "${mail.subject}"`);
  return url;
}
