// What a starting server prints about signing in (server/startup/prepare-database.ts).
// regression: the demo sign-ins and DEMO_PASSWORD were printed whenever any user existed, also on a
// production PostgreSQL without any demo account.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { DEMO_LOGINS, seedDemo } from "@/db/seed/demo";
import { createTestDb } from "@/db/testing/test-db";
import { seedWorld } from "@/db/testing/factories";
import { signInHelp } from "@/server/startup/prepare-database";

describe("sign-in help at start-up", () => {
  it("an empty installation is told how to create its first administrator", async () => {
    const d = await createTestDb();
    try {
      expect((await signInHelp(d.db, "Whatever-2026")).join("\n")).toContain("npm run cli -- user add --email");
    } finally {
      await d.close();
    }
  });

  it("an installation without the demo accounts prints no sign-ins and no password, DEMO_PASSWORD set or not", async () => {
    const d = await createTestDb();
    try {
      await seedWorld(d.db);
      expect(await signInHelp(d.db, "Demo-pass-2026")).toEqual([]);
      expect(await signInHelp(d.db, undefined)).toEqual([]);
    } finally {
      await d.close();
    }
  });

  it("the demo sign-ins with the password only when it is theirs", async () => {
    const d = await createTestDb();
    try {
      await seedDemo(d.db, { password: "Demo-pass-2026", projects: 5, today: "2026-06-30" });
      const lines = await signInHelp(d.db, "Demo-pass-2026");
      expect(lines.join("\n")).toContain("password: Demo-pass-2026");
      for (const l of DEMO_LOGINS) expect(lines.join("\n")).toContain(l.email);
      // a DEMO_PASSWORD that is not (or no longer) theirs is never printed
      for (const other of ["Other-pass-2026", undefined]) {
        const hint = (await signInHelp(d.db, other)).join("\n");
        expect(hint).not.toContain("password:");
        expect(hint).not.toContain("Other-pass-2026");
        expect(hint).toContain("printed when the demo data was loaded");
      }
      // a disabled demo account is not offered
      await d.db.update(users).set({ disabledAt: new Date() }).where(eq(users.email, DEMO_LOGINS[4].email));
      expect((await signInHelp(d.db, "Demo-pass-2026")).join("\n")).not.toContain(DEMO_LOGINS[4].email);
    } finally {
      await d.close();
    }
  });
});
