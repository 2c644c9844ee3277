// The evidence download answers the file with its own headers, which replace the proxy's CSP.
// regression: that CSP lacked frame-ancestors, so another site could frame a bank slip.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import type { TActor } from "@/server/auth/actor";
import { addEvidence } from "@/server/funds/evidence";
import { callerFor } from "../integration/helpers";

const state = vi.hoisted(() => ({ db: undefined as unknown, actor: null as unknown }));
vi.mock("next/server", async (original) => ({ ...(await original<typeof import("next/server")>()), connection: async () => {} }));
vi.mock("@/server/auth/session", () => ({ getActor: async () => state.actor, getRequestLocale: async () => "zh-CN", LOCALE_COOKIE: "NEXT_LOCALE" }));
vi.mock("@/db", () => ({ getDb: async () => state.db }));

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
  state.db = t.db;
});
afterAll(() => t?.close());

const directives = (csp: string) => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe("evidence download", () => {
  it("keeps frame-ancestors 'none' (it is only ever opened as a page of its own), sandboxed, no-store", async () => {
    const staff = w.actors.dalianStaff;
    const p = await makeProject(t.db, staff, { startedOn: "2026-03-01", stage: "negotiation" });
    await callerFor(t.db, staff).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-02", signedAmount: "100" });
    const tr = await callerFor(t.db, staff).funds.report({ projectId: p.id, amount: "10", arrivedOn: "2026-03-03" });
    const [file] = await addEvidence(t.db, staff, tr.id, [{ name: "进账单.pdf", bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF\n") }]);
    state.actor = staff satisfies TActor;
    const { GET } = await import("@/app/api/evidence/[fileId]/route");
    const res = await GET(new Request(`http://localhost:3000/api/evidence/${file!.id}`), { params: Promise.resolve({ fileId: file!.id }) });
    expect(res.status).toBe(200);
    const d = directives(res.headers.get("content-security-policy")!);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["default-src"]).toEqual(["'none'"]);
    expect(d.sandbox).toEqual([]);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new TextDecoder().decode(await res.arrayBuffer())).toContain("%PDF-1.4");
  });
});
