// Concurrency on PostgreSQL (real connections, real row locks): 50 editors hammer a few hot
// projects for a few seconds through the same service the page calls. Each editor reads a
// project, appends its own token to the notes and saves with the version it read. Afterwards every
// accepted token must be in the notes exactly once and each version must have advanced by exactly
// the number of accepted saves: a lost update would drop a token or skip a version. Then the same
// tranche form submitted many times at once, and a burst of concurrent sign-in guesses.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, loginAttempts, projects, stageEvents, tranches } from "@/db/schema";
import { seedWorld, makeProject, TEST_PASSWORD, type TWorld } from "@/db/testing/factories";
import { signInWithPassword } from "@/server/auth/authenticate";
import { SIGN_IN_LIMITS } from "@/server/auth/sign-in-limits";
import { verifyAuditChain } from "@/server/audit/verify-audit";
import { reportTranche } from "@/server/funds/tranches";
import { AppError } from "@/server/lib/errors";
import { moveProjectStage } from "@/server/projects/move-project-stage";
import type { TUpdateProject } from "@/server/projects/project-fields";
import { updateProject } from "@/server/projects/update-project";
import { callerFor } from "../integration/helpers";
import { createScratchPostgres, type TScratchDb } from "./support/scratch-postgres";

const EDITORS = 50;
const HOT_PROJECTS = 6;
const DURATION_MS = 3_000;
const NOTES_MAX = 2000; // ZProjectFields.notes

let pg: TScratchDb;
let w: TWorld;
beforeAll(async () => {
  pg = await createScratchPostgres("sec_conc", { max: 40 });
  w = await seedWorld(pg.db);
});
afterAll(() => pg?.drop());

const figures: Record<string, string> = {};
afterAll(() => {
  if (figures.editors && figures.tranche && figures.signIn) console.log(`concurrency: ${figures.editors}; ${figures.tranche}; ${figures.signIn}`);
});

const isConflict = (err: unknown) => err instanceof AppError && err.code === "CONFLICT";

describe("concurrency on PostgreSQL", () => {
  it(`${EDITORS} editors on ${HOT_PROJECTS} hot projects: every accepted save survives, stale ones are refused`, { timeout: 120_000 }, async () => {
    const actor = w.actors.dalianStaff;
    const hot: Array<Awaited<ReturnType<typeof makeProject>>> = [];
    for (let i = 0; i < HOT_PROJECTS; i++) hot.push(await makeProject(pg.db, actor, { unitId: w.units.dalian.id, notes: null }));
    const startVersion = new Map(hot.map((p) => [p.id, p.version]));
    const accepted = new Map<string, string[]>(hot.map((p) => [p.id, []]));
    let attempts = 0;
    let conflicts = 0;
    const full = new Set<string>();
    const deadline = Date.now() + DURATION_MS;

    const editor = async (e: number) => {
      for (let n = 0; Date.now() < deadline && full.size < hot.length; n++) {
        const target = hot[(e + n * 7 + Math.floor(Math.random() * hot.length)) % hot.length]!;
        if (full.has(target.id)) continue;
        // the page load: the row as the editor sees it
        const [row] = await pg.db.select().from(projects).where(eq(projects.id, target.id));
        const token = `${e.toString(36)}.${n.toString(36)}`;
        const notes = row!.notes ? `${row!.notes} ${token}` : token;
        if (notes.length > NOTES_MAX) {
          full.add(target.id);
          continue;
        }
        attempts++;
        try {
          await updateProject(pg.db, actor, {
            id: row!.id, version: row!.version, name: row!.name, capitalType: row!.capitalType, unitId: row!.unitId, ownerId: row!.ownerId,
            investorId: row!.investorId, industry: row!.industry as TUpdateProject["industry"], isEmerging: row!.isEmerging, sourceChannel: row!.sourceChannel,
            plannedAmount: row!.plannedAmount, notes, registeredOn: row!.registeredOn, constructionOn: row!.constructionOn, productionOn: row!.productionOn,
          });
          accepted.get(target.id)!.push(token);
        } catch (err) {
          if (!isConflict(err)) throw err;
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: EDITORS }, (_, e) => editor(e)));

    const acceptedCount = [...accepted.values()].reduce((n, l) => n + l.length, 0);
    expect(acceptedCount + conflicts).toBe(attempts);
    expect(conflicts).toBeGreaterThan(0); // the editors really did collide
    let lost = 0;
    const after = await pg.db.select().from(projects).where(inArray(projects.id, hot.map((p) => p.id)));
    for (const p of after) {
      const mine = accepted.get(p.id)!;
      const tokens = (p.notes ?? "").split(" ").filter(Boolean);
      const present = new Set(tokens);
      lost += mine.filter((tk) => !present.has(tk)).length;
      // each token once, nothing that was refused, and one version per accepted save
      expect(tokens.length, p.code).toBe(new Set(tokens).size);
      expect([...present].sort(), p.code).toEqual([...mine].sort());
      expect(p.version - startVersion.get(p.id)!, p.code).toBe(mine.length);
    }
    expect(lost).toBe(0);
    // and one audit entry per accepted save
    const audited = await pg.db.select({ id: auditLog.seq }).from(auditLog).where(and(eq(auditLog.action, "project.update"), inArray(auditLog.entityId, hot.map((p) => p.id))));
    expect(audited.length).toBe(acceptedCount);
    // the audit entries were appended concurrently: the hash chain must still link every one of them
    const chain = await verifyAuditChain(pg.db);
    expect(chain.ok, chain.ok ? "" : `audit chain broken at seq ${chain.broken.seq} (${chain.broken.problems.join(", ")})`).toBe(true);
    expect(chain.entries).toBeGreaterThanOrEqual(acceptedCount + HOT_PROJECTS);
    figures.editors = `${attempts} attempts, ${acceptedCount} accepted, ${conflicts} conflicts, ${lost} lost updates (${EDITORS} editors, ${HOT_PROJECTS} projects, ${DURATION_MS / 1000} s); audit chain ${chain.ok ? "ok" : "BROKEN"} over ${chain.entries} entries`;
  });

  it("the same tranche form submitted 20 times at once creates one tranche and one stage move", async () => {
    const actor = w.actors.dalianStaff;
    const p = await makeProject(pg.db, actor, { unitId: w.units.dalian.id });
    const signed = await moveProjectStage(pg.db, actor, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-04-01", signedAmount: "200000000" });
    expect(signed.stage).toBe("signed");
    const requestKey = "double-submit-0001";
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => reportTranche(pg.db, actor, { projectId: p.id, amount: "5000000", arrivedOn: "2026-05-06", evidenceNo: "YH-DOUBLE-1", requestKey })),
    );
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof reportTranche>>> => r.status === "fulfilled");
    expect(ok.length, JSON.stringify(results.filter((r) => r.status === "rejected"))).toBe(20);
    expect(new Set(ok.map((r) => r.value.id)).size).toBe(1);
    const rows = await pg.db.select().from(tranches).where(eq(tranches.projectId, p.id));
    expect(rows.length).toBe(1);
    const moves = await pg.db.select().from(stageEvents).where(and(eq(stageEvents.projectId, p.id), eq(stageEvents.toStage, "funds")));
    expect(moves.length).toBe(1);
    const audits = await pg.db.select({ seq: auditLog.seq }).from(auditLog).where(and(eq(auditLog.action, "tranche.report"), eq(auditLog.entityId, rows[0]!.id)));
    expect(audits.length).toBe(1);
    figures.tranche = `tranche double-submit: 20 concurrent, ${rows.length} created`;
  });

  it("50 concurrent guesses at one account are checked no more than the limit allows", async () => {
    const email = "burst@test.ln.gov.cn";
    await callerFor(pg.db, w.actors.admin).users.create({ email, name: "并发目标", role: "staff", unitId: w.units.dalian.id, password: TEST_PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signInWithPassword(pg.db, { email, password: `burst-${i}-2026`, ip: `203.0.113.${100 + i}` })),
    );
    const evaluated = results.filter((r) => r.status !== "throttled").length;
    expect(evaluated).toBe(SIGN_IN_LIMITS.accountFailures);
    const [checked] = await pg.db
      .select({ n: sql<number>`count(*)::int` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.accountKey, email), inArray(loginAttempts.outcome, ["failure", "success", "pending"])));
    expect(checked!.n).toBe(SIGN_IN_LIMITS.accountFailures);
    // the right password, now, from a fresh address: refused unchecked
    expect((await signInWithPassword(pg.db, { email, password: TEST_PASSWORD, ip: "203.0.113.250" })).status).toBe("throttled");

    // one address, 50 accounts at once: 20 checked
    const spray = await Promise.all(Array.from({ length: 50 }, (_, i) => signInWithPassword(pg.db, { email: `spray${i}@test.ln.gov.cn`, password: "spray-guess-2026", ip: "198.51.100.99" })));
    const sprayChecked = spray.filter((r) => r.status !== "throttled").length;
    expect(sprayChecked).toBe(SIGN_IN_LIMITS.ipFailures);
    figures.signIn = `sign-in burst: 50 concurrent guesses at one account, ${evaluated} checked; 50 at once from one address, ${sprayChecked} checked`;
  });
});
