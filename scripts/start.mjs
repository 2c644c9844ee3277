#!/usr/bin/env node
// `npm start`: build when the sources changed since the last build, then serve on PORT (3000).
// The first start on an empty embedded database loads the demo data and prints the sign-ins.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3000";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

// A stable secret for session cookies, kept outside git.
if (!env.NEXTAUTH_SECRET) {
  const file = path.join(root, ".nextauth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  env.NEXTAUTH_SECRET = fs.readFileSync(file, "utf8").trim();
}
env.NEXTAUTH_URL ??= `http://localhost:${port}`;

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}
const sources = ["app", "server", "db", "lib", "messages", "i18n", "instrumentation.ts", "next.config.js", "package-lock.json", "postcss.config.mjs"];
const buildId = path.join(root, ".next", "BUILD_ID");
const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const changed = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));

const run = (args) => spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), ...args], { stdio: "inherit", env, cwd: root });

if (process.env.SKIP_BUILD !== "1" && changed > builtAt) {
  console.log("[start] building the app (first start or sources changed) …");
  const b = run(["build"]);
  if (b.status !== 0) process.exit(b.status ?? 1);
}
console.log(`[start] serving on http://localhost:${port}`);
const s = run(["start", "-p", port]);
process.exit(s.status ?? 0);
