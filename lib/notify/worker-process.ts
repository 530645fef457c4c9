/**
 * `npm run worker`: the outbox's delivery as its own process, for the multi-instance topology (set
 * MAIL_WORKER=off on the web instances; or keep both: each message is still sent once). Stops
 * cleanly on SIGINT or SIGTERM, finishing the message in hand.
 */
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { smtpSender } from "@/lib/notify/mailer";
import { startMailWorker } from "@/lib/notify/run";

const send = smtpSender();
if (!send) {
  log.error("SMTP_URL is not set: there is nowhere to deliver security messages (see .env.example)");
  process.exit(1);
}
const worker = startMailWorker({ send, name: "process", pollMs: env.MAIL_POLL_MS, keepAlive: true });
const stop = () => void worker.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
