// @ts-check
const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import("next").NextConfig} */
const nextConfig = {
  // every page depends on the session: cacheComponents only adds prerender traps here
  cacheComponents: false,
  poweredByHeader: false,
  // native / WASM packages stay outside the bundle
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "exceljs"],
  // Migrations are read from db/migrations at run time.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
};

module.exports = withNextIntl(nextConfig);
