// Run once when a server process starts (instrumentation.ts): open and migrate the database, load
// the demo data into an empty embedded database, and print how to sign in.
import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import { getDbHandle } from "@/db";
import { users } from "@/db/schema";
import { DEMO_LOGINS, isDatabaseEmpty, seedDemo } from "@/db/seed/demo";

const say = (s: string) => process.stdout.write(`${s}\n`);

export async function prepareDatabase() {
  const { db, kind } = await getDbHandle();
  const wantsDemo = kind === "pglite" ? process.env.SEED_DEMO !== "0" : process.env.SEED_DEMO === "1";
  let password: string | undefined;
  if (wantsDemo && (await isDatabaseEmpty(db))) {
    password = process.env.DEMO_PASSWORD || randomBytes(9).toString("base64url");
    say("[start] empty database: loading the demo data (Liaoning, ~480 projects) …");
    const summary = await seedDemo(db, { password });
    say(`[start] demo data loaded: ${summary.projects} projects, ${summary.tranches} tranches, ${summary.users} users`);
  }
  const [u] = await db.select({ n: count() }).from(users);
  say(`[start] database: ${kind === "pglite" ? `embedded PGlite in ${process.env.PGLITE_DIR ?? "./data"}` : "PostgreSQL (DATABASE_URL)"}`);
  if (!u?.n) {
    say("[start] no users yet. Create the first unit and administrator:");
    say('        npm run cli -- unit add --code 210000 --name 辽宁省');
    say("        npm run cli -- user add --email admin@example.cn --name 管理员 --role admin --unit 210000");
    say("        (or load the demo data: npm run cli -- db seed)");
    return;
  }
  const shown = password ?? process.env.DEMO_PASSWORD;
  say("[start] demo sign-ins:");
  for (const l of DEMO_LOGINS) say(`        ${l.role.padEnd(6)} ${l.email.padEnd(24)} (${l.name}, ${l.unit})`);
  say(
    shown
      ? `        password: ${shown}`
      : "        password: the one printed when the demo data was loaded (or set DEMO_PASSWORD before the first start; `npm run cli -- user password --email …` sets a new one)",
  );
}
