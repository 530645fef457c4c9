/**
 * React's own encodeReply, the copy Next ships: the exact bytes a browser sends as a server action's
 * arguments. Shared by lib/ tests and e2e/support/server-actions.ts.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/**
 * React's encodeReply as a production page runs it (the production build: the development one warns
 * on every hostile argument the fuzz test sends, e.g. an own "__proto__" key).
 */
export const { encodeReply } =
  require("next/dist/compiled/react-server-dom-turbopack/cjs/react-server-dom-turbopack-client.node.production.js") as {
    encodeReply(value: unknown): Promise<string | FormData>;
  };
