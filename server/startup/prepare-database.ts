// Run once when a server process starts (instrumentation.ts): open and migrate the database, load
// the demo data into an empty embedded database, and print how to sign in.
import { randomBytes } from "node:crypto";
import { count, inArray } from "drizzle-orm";
import { getDbHandle } from "@/db";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { DEMO_LOGINS, isDatabaseEmpty, seedDemo } from "@/db/seed/demo";
import { verifyPassword } from "@/server/auth/password";
import { translate } from "@/server/lib/i18n";
import { passwordPolicyProblem } from "@/server/users/users";

const say = (s: string) => process.stdout.write(`${s}\n`);

export async function prepareDatabase() {
  const { db, kind } = await getDbHandle();
  const wantsDemo = kind === "pglite" ? process.env.SEED_DEMO !== "0" : process.env.SEED_DEMO === "1";
  let password: string | undefined;
  if (wantsDemo && (await isDatabaseEmpty(db))) {
    password = process.env.DEMO_PASSWORD || randomBytes(9).toString("base64url");
    const weak = passwordPolicyProblem(password);
    if (weak) throw new Error(`DEMO_PASSWORD does not meet the password policy: ${translate("en", weak)} (${translate("zh-CN", weak)})`);
    say("[start] empty database: loading the demo data (Liaoning, ~680 projects) …");
    const summary = await seedDemo(db, { password });
    say(`[start] demo data loaded: ${summary.projects} projects, ${summary.tranches} tranches, ${summary.users} users`);
  }
  say(`[start] database: ${kind === "pglite" ? `embedded PGlite in ${process.env.PGLITE_DIR ?? "./data"}` : "PostgreSQL (DATABASE_URL)"}`);
  for (const line of await signInHelp(db, password ?? process.env.DEMO_PASSWORD)) say(line);
}

/**
 * What to print about signing in: how to create the first administrator of an empty installation,
 * or the demo sign-ins — only when the demo accounts exist and the password is known to be theirs
 * (just generated, or DEMO_PASSWORD checked against the demo administrator's hash). A production
 * database prints neither accounts nor passwords.
 */
export async function signInHelp(db: Db, password: string | undefined): Promise<string[]> {
  const [u] = await db.select({ n: count() }).from(users);
  if (!u?.n)
    return [
      "[start] no users yet. Create the first unit and administrator:",
      "        npm run cli -- unit add --code 210000 --name 辽宁省",
      "        npm run cli -- user add --email admin@example.cn --name 管理员 --role admin --unit 210000",
      "        (or load the demo data: npm run cli -- db seed)",
    ];
  const demo = await db
    .select({ email: users.email, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(inArray(users.email, DEMO_LOGINS.map((l) => l.email)));
  const admin = demo.find((d) => d.email === DEMO_LOGINS[0]!.email);
  if (!admin) return [];
  if (!password || !(await verifyPassword(admin.passwordHash, password)))
    return [`[start] demo sign-ins: ${DEMO_LOGINS[0]!.email} and the others in the README; their password was printed when the demo data was loaded (\`npm run cli -- user password --email …\` sets a new one)`];
  const present = new Set(demo.filter((d) => !d.disabledAt).map((d) => d.email));
  return [
    "[start] demo sign-ins:",
    ...DEMO_LOGINS.filter((l) => present.has(l.email)).map((l) => `        ${l.role.padEnd(6)} ${l.email.padEnd(24)} (${l.name}, ${l.unit})`),
    `        password: ${password}`,
  ];
}

