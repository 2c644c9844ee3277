// A small, readable world for integration tests: the province, three cities, a development zone,
// one user per role and scope, and helpers to make projects. Unique-per-call data where it matters.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { units, users } from "@/db/schema";
import type { TRole } from "@/lib/domain";
import { loadActor } from "@/server/auth/authenticate";
import type { TActor } from "@/server/auth/actor";
import { hashPassword } from "@/server/auth/password";
import { createProject } from "@/server/projects/create-project";
import type { TCreateProject } from "@/server/projects/project-fields";

export const TEST_PASSWORD = "Test-pass-2026";
let hashed: Promise<string> | undefined;
const testHash = () => (hashed ??= hashPassword(TEST_PASSWORD));

export async function insertUnit(db: Db, code: string, name: string, kind: typeof units.$inferInsert.kind, parent?: { id: string; path: string }) {
  const [row] = await db
    .insert(units)
    .values({ code, name, kind, parentId: parent?.id ?? null, path: `${parent?.path ?? ""}${code}/` })
    .returning();
  return row!;
}

export async function insertUser(db: Db, email: string, name: string, role: TRole, unitId: string) {
  const [row] = await db.insert(users).values({ email, name, role, unitId, passwordHash: await testHash() }).returning();
  return row!;
}

export async function actorOf(db: Db, userId: string): Promise<TActor> {
  const [u] = await db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, userId));
  const actor = await loadActor(db, userId, u!.sv);
  if (!actor) throw new Error("no actor");
  return actor;
}

export async function seedWorld(db: Db) {
  const province = await insertUnit(db, "210000", "辽宁省", "province");
  const shenyang = await insertUnit(db, "210100", "沈阳市", "city", province);
  const dalian = await insertUnit(db, "210200", "大连市", "city", province);
  const dandong = await insertUnit(db, "210600", "丹东市", "city", province);
  const dlZone = await insertUnit(db, "DL-JKQ", "大连金普新区", "zone", dalian);

  const mk = async (email: string, name: string, role: TRole, unitId: string) => actorOf(db, (await insertUser(db, email, name, role, unitId)).id);
  const actors = {
    admin: await mk("admin@test.ln.gov.cn", "管理员", "admin", province.id),
    provinceLeader: await mk("leader@test.ln.gov.cn", "王厅长", "leader", province.id),
    dalianLeader: await mk("leader.dl@test.ln.gov.cn", "李局长", "leader", dalian.id),
    shenyangStaff: await mk("staff.sy@test.ln.gov.cn", "张专员", "staff", shenyang.id),
    dalianStaff: await mk("staff.dl@test.ln.gov.cn", "刘专员", "staff", dalian.id),
    zoneStaff: await mk("staff.jp@test.ln.gov.cn", "陈专员", "staff", dlZone.id),
  };
  return { units: { province, shenyang, dalian, dandong, dlZone }, actors };
}
export type TWorld = Awaited<ReturnType<typeof seedWorld>>;

let seq = 0;
export function projectInput(unitId: string, over: Partial<TCreateProject> = {}): TCreateProject {
  seq += 1;
  return {
    name: `测试项目${seq}号`,
    capitalType: "domestic",
    unitId,
    industry: "advanced_manufacturing",
    sourceChannel: "exhibition",
    plannedAmount: "250000000.00",
    startedOn: "2026-03-02",
    investor: { newInvestor: { name: `测试投资${seq}有限公司`, originRegion: "320000" } },
    ...over,
  };
}

export function makeProject(db: Db, actor: TActor, over: Partial<TCreateProject> = {}) {
  return createProject(db, actor, projectInput(over.unitId ?? actor.unitId, over));
}
