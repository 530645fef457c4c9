/**
 * The bank's name, in one place. A fork rebrands here, in app/globals.css's accent tokens (the one
 * accent colour), and in app/icon.svg (the favicon); the logo (app/_components/logo.tsx) draws its
 * mark in the accent colour. The passkey prompt's name is WEBAUTHN_RP_NAME (lib/env.ts), which
 * defaults to this name too.
 */
export const BRAND = {
  name: "Vault",
  description: "A reference bank that shows how step-up authentication should be done.",
  /**
   * The bank's ABA routing number, shown beside a revealed account number (it is public, so it is
   * never masked). A demo value with a valid checksum that no real bank uses; a fork puts its own here.
   */
  routingNumber: "123456780",
} as const;
