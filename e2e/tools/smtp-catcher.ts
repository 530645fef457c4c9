/**
 * The e2e suite's mail server (a webServer in e2e/playwright.config.ts): a real SMTP server
 * (lib/testing/smtp.ts) on 127.0.0.1:SMTP_CATCHER_PORT that Vault's worker delivers to, and a small
 * HTTP reader on 127.0.0.1:SMTP_CATCHER_HTTP_PORT for the tests (e2e/support/mailbox.ts):
 *   GET /health              200 once both listen
 *   GET /messages?to=<email> the messages delivered to that address, oldest first, parsed (subject,
 *                            text, html, Message-ID), each delivered once (a resend with the same
 *                            Message-ID is dropped, as a well-behaved server would)
 */
import { createServer } from "node:http";
import { simpleParser } from "mailparser";
import { startTestSmtp } from "../../lib/testing/smtp";

const smtpPort = Number(process.env.SMTP_CATCHER_PORT);
const httpPort = Number(process.env.SMTP_CATCHER_HTTP_PORT);
if (!Number.isInteger(smtpPort) || !Number.isInteger(httpPort))
  throw new Error("Set SMTP_CATCHER_PORT and SMTP_CATCHER_HTTP_PORT.");

const smtp = await startTestSmtp(smtpPort);
const http = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/health") return reply(200, { ok: true });
  if (url.pathname !== "/messages") return reply(404, { error: "not found" });
  const to = (url.searchParams.get("to") ?? "").toLowerCase();
  const mine = smtp.delivered.filter((m) => m.to.some((address) => address.toLowerCase() === to));
  void Promise.all(
    mine.map(async (m) => {
      const parsed = await simpleParser(m.raw);
      return {
        messageId: m.messageId,
        subject: parsed.subject ?? "",
        text: parsed.text ?? "",
        html: typeof parsed.html === "string" ? parsed.html : "",
        from: parsed.from?.text ?? "",
      };
    }),
  ).then(
    (messages) => reply(200, messages),
    (err: unknown) => reply(500, { error: String(err) }),
  );
});
await new Promise<void>((resolve) => http.listen(httpPort, "127.0.0.1", resolve));
console.log(`SMTP catcher: ${smtp.url}, read at http://127.0.0.1:${httpPort}/messages?to=…`);
const stop = () => void Promise.all([smtp.close(), new Promise((r) => http.close(r))]).then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
