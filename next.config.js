/**
 * Nothing here may fetch at build time: no Google-hosted fonts, no remote images (the build runs offline).
 * @type {import("next").NextConfig}
 */

/** Headers for every response (OWASP ASVS 5 V3.4). The nonce-based CSP for pages is set in proxy.ts. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" }, // for browsers without CSP frame-ancestors
  // Passkeys and the browser's payment dialog (Secure Payment Confirmation) only in Vault's own frames;
  // no camera, microphone, location or USB.
  {
    key: "Permissions-Policy",
    value:
      "camera=(), microphone=(), geolocation=(), payment=(self), usb=(), publickey-credentials-get=(self), publickey-credentials-create=(self)",
  },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  // Browsers ignore HSTS over plain http (localhost); over https it pins Vault to https for two years.
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
];

/**
 * `npm run bench` builds its own copy with VAULT_BENCH_BUILD=1 (e2e/perf/build.ts): into .next-bench,
 * and with `*.bench.ts(x)` files as routes and pages too, so the twins that time the guard and the session read exist only there.
 * A normal build has no such route at all: there is no switch to leave on in production.
 */
const benchBuild = process.env.VAULT_BENCH_BUILD === "1";

const nextConfig = {
  ...(benchBuild
    ? { distDir: ".next-bench", pageExtensions: ["bench.ts", "bench.tsx", "tsx", "ts", "jsx", "js"] }
    : {}),
  poweredByHeader: false,
  // Next copies every request body that passes through proxy.ts into memory before any route runs,
  // by default up to 10 MB, whatever the route's own limit. Vault's routes take at most 16 kB (the API,
  // the OAuth endpoints) and server actions at most Next's own 1 MB, so no more is ever kept (issue 16, 10e).
  experimental: { proxyClientMaxBodySize: "1mb" },
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  // A page opened at http://127.0.0.1:3000 (or [::1]) goes to http://localhost:3000, the address
  // `npm run dev` prints. Passkeys can't work on an IP address (an RP ID must be a domain: WebAuthn L3
  // §5.1.3; Chrome, Firefox and Safari all refuse one), and only configured origins may call server
  // actions. The API and Auth.js routes (/api/…) answer scripts and other servers wherever they
  // connect, so they are left alone. Here rather than in proxy.ts: Next turns a proxy's redirect
  // between loopback names into a relative one, which would loop. `next dev` reads this after it
  // listens, so PORT is the port it got; a production build bakes in 3000 (or PORT at build time).
  async redirects() {
    const port = /^\d{1,5}$/.test(process.env.PORT ?? "") ? process.env.PORT : "3000";
    return [`127(?:\\.\\d{1,3}){3}:${port}`, `\\[::1\\]:${port}`].map((loopbackHost) => ({
      source: "/:path((?!api(?:/|$)).*)",
      has: [{ type: "header", key: "host", value: loopbackHost }],
      destination: `http://localhost:${port}/:path`,
      permanent: false, // 307: another app may use this port tomorrow
    }));
  },
};

export default nextConfig;
