import "server-only";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import type { Send } from "@/lib/notify/worker";

/**
 * The SMTP transport (Nodemailer), from SMTP_URL, or null when none is configured (messages then wait
 * in the outbox). Each message keeps the Message-ID the outbox gave it.
 */
export function smtpSender(url: string | undefined = env.SMTP_URL): Send | null {
  if (!url) return null;
  const transport = nodemailer.createTransport(url);
  return async (message) => {
    await transport.sendMail({ from: env.MAIL_FROM, ...message });
  };
}
