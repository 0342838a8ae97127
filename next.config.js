// Pages and API routes get their security headers from proxy.ts (with a per-request CSP nonce); the
// static files the proxy skips get the ones that matter for them here.
const STATIC_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads WASM and data files from node_modules at run time: never bundle it.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/_next/:path*", headers: STATIC_HEADERS },
      { source: "/favicon.ico", headers: STATIC_HEADERS },
    ];
  },
};

export default nextConfig;
