import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // "server-only" throws outside Next's react-server bundle; stub it in tests
      "server-only": path.resolve(import.meta.dirname, "tests/stubs/empty.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    // CI reads the totals from a JSON report
    reporters: process.env.TEST_REPORT_DIR ? ["default", "json"] : ["default"],
    outputFile: process.env.TEST_REPORT_DIR ? { json: `${process.env.TEST_REPORT_DIR}/vitest-${process.env.TEST_REPORT_NAME ?? "unit"}.json` } : undefined,
    // PGlite instances are CPU-heavy (WASM initdb): on 2 cores keep workers low
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
