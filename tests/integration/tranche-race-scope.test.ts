// Two identical tranche submissions racing: the loser of the unique request key returns the
// winner's row — only if that row is in the loser's scope.
// regression: the row found by requestKey was returned without a scope check (server/funds/tranches.ts).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import type { TActor } from "@/server/auth/actor";
import { reportTranche } from "@/server/funds/tranches";
import { callerFor } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

async function signedProject(actor: TActor) {
  const p = await makeProject(t.db, actor, { startedOn: "2026-03-01", stage: "negotiation" });
  return callerFor(t.db, actor).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-02", signedAmount: "100" });
}
/** The database as the losing submission sees it: its transaction fails on the unique request key. */
const lostRace = Object.create(null) as Db;

describe("a lost tranche race", () => {
  it("returns the winner's row in scope, and answers like a missing project outside it", async () => {
    Object.setPrototypeOf(lostRace, t.db);
    Object.defineProperty(lostRace, "transaction", {
      value: async () => {
        throw Object.assign(new Error('duplicate key value violates unique constraint "tranches_request_key_idx"'), { code: "23505" });
      },
    });
    const dl = await signedProject(w.actors.dalianStaff);
    const sy = await signedProject(w.actors.shenyangStaff);
    const requestKey = randomUUID();
    const won = await callerFor(t.db, w.actors.dalianStaff).funds.report({ projectId: dl.id, amount: "1234.00", arrivedOn: "2026-03-05", requestKey });
    const same = await reportTranche(lostRace, w.actors.dalianStaff, { projectId: dl.id, amount: "1234.00", arrivedOn: "2026-03-05", requestKey });
    expect(same.id).toBe(won.id);
    await expect(reportTranche(lostRace, w.actors.shenyangStaff, { projectId: sy.id, amount: "1.00", arrivedOn: "2026-03-05", requestKey })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
