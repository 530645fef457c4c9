/**
 * Scripts (setup, deploy, seed) see the same environment as `next dev` / `next start`: @next/env is
 * what Next itself uses to read `.env*` files, with the same precedence (the real environment wins).
 */
import path from "node:path";
import nextEnv from "@next/env";

export function loadEnvFiles(dir = path.resolve(import.meta.dirname, "../..")) {
  nextEnv.loadEnvConfig(dir, process.env.NODE_ENV === "development", { info: () => {}, error: console.error });
}
