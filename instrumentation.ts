/**
 * Next.js runs register() once when a server instance starts (it must live at the project root).
 * Vault starts its mail worker here: security messages leave the outbox without a second process
 * (docs/notifications.md). Only in the Node.js runtime; the edge runtime has no database driver.
 */
export async function register(): Promise<void> {
  const { env } = await import("@/lib/env");
  if (env.NEXT_RUNTIME !== "nodejs") return;
  const { startInlineMailWorker } = await import("@/lib/notify/run");
  startInlineMailWorker();
}
