/**
 * A real SMTP server in-process (smtp-server), on a free port of 127.0.0.1, for the mail tests. It
 * behaves as a well-behaved receiving server: every message it is handed is `received`, and one whose
 * Message-ID it has already accepted is not delivered again (`delivered` holds each once).
 */
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { messageId: string | null; to: string[]; subject: string | null; raw: string };
export type TestSmtp = {
  url: string;
  received: ReceivedMail[];
  delivered: ReceivedMail[];
  /** Refuse the next `n` messages with a 451 (a temporary failure), to test retries. */
  refuseNext(n: number): void;
  close(): Promise<void>;
};

const header = (raw: string, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.+)$`, "im").exec(raw.split(/\r?\n\r?\n/)[0] ?? "")?.[1]?.trim() ?? null;

/** On a free port of 127.0.0.1, or on `port` (the e2e suite's catcher, e2e/tools/smtp-catcher.ts). */
export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const delivered: ReceivedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refusals > 0) {
          refusals--;
          const err = Object.assign(new Error("Try again later"), { responseCode: 451 });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const mail = {
          messageId: header(raw, "Message-ID"),
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header(raw, "Subject"),
          raw,
        };
        received.push(mail);
        if (!delivered.some((d) => d.messageId !== null && d.messageId === mail.messageId)) delivered.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("the test SMTP server has no port");
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    delivered,
    refuseNext: (n) => {
      refusals = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
