/** The colour scheme a customer chose: "system" follows the device (prefers-color-scheme). */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** Not a secret and not HttpOnly-worthy, but the server reads it, so the first paint is right (no flash). */
export const THEME_COOKIE = "vault-theme";

export const parseTheme = (value: unknown): Theme =>
  (THEMES as readonly unknown[]).includes(value) ? (value as Theme) : "system";
