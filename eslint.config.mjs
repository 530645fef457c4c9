import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Flat config with Next's rules (core web vitals + TypeScript). */
const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [
      ".next/**",
      ".next-bench/**",
      "e2e/.tmp/**",
      "node_modules/**",
      "lib/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The one validated reader of the environment is lib/env.ts.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Import env from @/lib/env." },
      ],
    },
  },
  {
    files: ["lib/env.ts", "lib/testing/**", "prisma/**", "e2e/**", "**/*.test.ts", "*.config.*"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Playwright fixtures call `use()`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
