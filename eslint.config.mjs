import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Flat config with Next's rules (core web vitals + TypeScript). */
const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The one validated reader of the environment is lib/env.ts.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Import env from @/lib/env." }],
    },
  },
  {
    files: ["lib/env.ts", "prisma/**", "e2e/**", "*.config.*"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
