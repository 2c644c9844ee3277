// The security battery's world: the integration world (辽宁省 with 沈阳, 大连 and its zone) plus a
// province staff user, and a second root province (吉林省) with its own users and data that no
// Liaoning user may ever see.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { actorOf, insertUnit, insertUser, seedWorld } from "@/db/testing/factories";
import type { TRole } from "@/lib/domain";

export async function seedSecurityWorld(db: Db) {
  const w = await seedWorld(db);
  const mk = async (email: string, name: string, role: TRole, unitId: string) => actorOf(db, (await insertUser(db, email, name, role, unitId)).id);
  const jilin = await insertUnit(db, "220000", "吉林省", "province");
  const changchun = await insertUnit(db, "220100", "长春市", "city", jilin);
  const actors = {
    ...w.actors,
    provinceStaff: await mk("staff.ln@test.ln.gov.cn", "赵专员", "staff", w.units.province.id),
    jilinStaff: await mk("staff@test.jl.gov.cn", "吉林专员", "staff", jilin.id),
    jilinLeader: await mk("leader@test.jl.gov.cn", "吉林厅长", "leader", jilin.id),
    jilinAdmin: await mk("admin@test.jl.gov.cn", "吉林管理员", "admin", jilin.id),
    changchunStaff: await mk("staff.cc@test.jl.gov.cn", "长春专员", "staff", changchun.id),
  };
  return { units: { ...w.units, jilin, changchun }, actors };
}
export type TSecurityWorld = Awaited<ReturnType<typeof seedSecurityWorld>>;

/** Row count of the append-only audit log: every write appends at least one entry. */
export async function auditCount(db: Db): Promise<number> {
  const [r] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from audit_log`);
  return Number(r!.n);
}

/**
 * A cheap fingerprint of everything a procedure could change, beside the audit log: row counts
 * and version sums of the editable tables, and users' locale / session version (me.setLocale
 * writes without an audit entry).
 */
export async function dataFingerprint(db: Db): Promise<string> {
  const [r] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
      (select count(*) from audit_log) as audit,
      (select count(*) || ':' || coalesce(sum(version), 0) from projects) as projects,
      (select count(*) || ':' || coalesce(sum(version), 0) from investors) as investors,
      (select count(*) || ':' || coalesce(sum(version), 0) from contacts) as contacts,
      (select count(*) || ':' || coalesce(sum(version), 0) from tranches) as tranches,
      (select count(*) || ':' || coalesce(sum(version), 0) from units) as units,
      (select count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(sum(session_version), 0) || ':' || coalesce(string_agg(coalesce(locale, '-'), ',' order by id), '') from users) as users,
      (select count(*) || ':' || coalesce(sum(version), 0) from targets) as targets,
      (select count(*) from published_figures) as published,
      (select count(*) from stage_events) as events,
      (select count(*) from activities) || ':' || (select count(*) from evidence_files) || ':' || (select count(*) from period_locks)
        || ':' || (select count(*) from flag_reviews) || ':' || (select count(*) from settings) as other`,
  );
  return JSON.stringify(r);
}
