// Node hooks for running lib/ code outside Next (scripts, seed, unit tests): `server-only` exists to
// fail a client bundle at build time; in plain Node every module is server code, so it resolves to
// an empty module here. Use: node --import ./prisma/tools/outside-next.mjs …
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (specifier === "server-only") return { url: "data:text/javascript,", shortCircuit: true };
        return next(specifier, context);
      }`),
  import.meta.url,
);
