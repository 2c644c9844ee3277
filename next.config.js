// @ts-check
const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import("next").NextConfig} */
const nextConfig = {
  // every page depends on the session: cacheComponents only adds prerender traps here
  cacheComponents: false,
  poweredByHeader: false,
  experimental: {
    // proxy.ts runs on /api/import too, and Next hands a route behind the proxy only this many
    // bytes of the body, silently (default 10 MB). Imports take files up to
    // IMPORT_LIMITS.maxBytes (20 MB, lib/import-columns.ts) plus the multipart envelope; the
    // route refuses anything larger itself.
    proxyClientMaxBodySize: "21mb",
  },
  // native / WASM packages stay outside the bundle
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "exceljs"],
  // Migrations are read from db/migrations at run time.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  // Security headers on every response, static files included. proxy.ts sets the same on pages
  // and route handlers, plus the CSP with its per-response nonce, no-store and HSTS
  // (server/lib/security-headers.ts — keep the values in step).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
        ],
      },
      {
        // behind a TLS-terminating proxy
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }],
      },
    ];
  },
};

module.exports = withNextIntl(nextConfig);
