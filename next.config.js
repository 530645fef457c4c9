/**
 * Nothing here may fetch at build time: no next/font/google, no remote images (the build runs offline).
 * @type {import("next").NextConfig}
 */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
