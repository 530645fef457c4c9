import "server-only";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { smtpSender } from "@/lib/notify/mailer";
import { deliverDue, type Send } from "@/lib/notify/worker";

export type MailWorker = { stop(): Promise<void> };

/**
 * Delivers the outbox every `pollMs` until stopped: one round at a time (never two overlapping in
 * one process), a full batch followed at once by the next. Any number of these, in any number of
 * processes, may run: each message is claimed by one (lib/notify/worker.ts). A round that fails
 * (the database is away) is logged and tried again next time.
 */
export function startMailWorker(options: {
  send: Send;
  pollMs?: number;
  name?: string;
  /** Keep the process alive for the worker alone (`npm run worker`); inside a server, the server does. */
  keepAlive?: boolean;
}): MailWorker {
  const pollMs = options.pollMs ?? env.MAIL_POLL_MS;
  const workerId = `${options.name ?? "worker"}:${process.pid}:${randomBytes(4).toString("hex")}`;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const round = async () => {
    try {
      for (;;) {
        const { sent, failed } = await deliverDue({ workerId, send: options.send });
        if (sent + failed === 0 || stopped) break;
      }
    } catch (err) {
      log.error({ err }, "The mail worker's round failed; it will try again");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(() => {
        running = null;
        schedule();
      });
    }, pollMs);
    if (!options.keepAlive) timer.unref();
  };
  schedule();
  log.info({ workerId, pollMs }, "The mail worker is delivering security messages");
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The worker inside `next start` (instrumentation.ts), unless MAIL_WORKER=off (then `npm run worker`
 * delivers). Without SMTP_URL, nothing is sent: messages wait in the outbox (readable at /dev/mailbox
 * in development).
 */
export function startInlineMailWorker(): MailWorker | null {
  if (env.MAIL_WORKER !== "inline") return null;
  const send = smtpSender();
  if (!send) {
    log.info("No SMTP_URL: security messages wait in the outbox (docs/notifications.md)");
    return null;
  }
  return startMailWorker({ send, name: "inline" });
}
