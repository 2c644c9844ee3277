// Global search over what the user may see: projects (name, code), investors (name, credit code)
// and contacts (name, phone, email) — as you type, a few of each. The query is matched literally:
// LIKE's wildcards (% and _) and its escape character are escaped.
import { and, asc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { contacts, investors, projects, units } from "@/db/schema";
import { normalizeCreditCode } from "@/lib/credit-code";
import type { TActor } from "@/server/auth/actor";
import { inScope } from "@/server/auth/scope";
import { investorVisible } from "@/server/investors/investors";
import { projectInScope } from "@/server/projects/project-scope";

export const ZSearch = z.object({ q: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(20).default(6) });

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function globalSearch(db: Db, actor: Pick<TActor, "unitPath">, input: z.input<typeof ZSearch>) {
  const { q, limit } = ZSearch.parse(input);
  const term = like(q);
  const code = `${normalizeCreditCode(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const [p, i, c] = await Promise.all([
    db
      .select({ id: projects.id, code: projects.code, name: projects.name, unitName: units.name, stage: projects.stage })
      .from(projects)
      .innerJoin(units, eq(units.id, projects.unitId))
      .where(and(projectInScope(actor), or(ilike(projects.name, term), ilike(projects.code, term))))
      .orderBy(sql`position(lower(${q}) in lower(${projects.name})) = 0`, asc(projects.code))
      .limit(limit),
    db
      .select({ id: investors.id, name: investors.name, creditCode: investors.creditCode })
      .from(investors)
      .where(and(investorVisible(actor), or(ilike(investors.name, term), ilike(investors.creditCode, code))))
      .orderBy(asc(investors.name))
      .limit(limit),
    db
      .select({ id: contacts.id, name: contacts.name, title: contacts.title, phone: contacts.phone, investorId: investors.id, investorName: investors.name })
      .from(contacts)
      .innerJoin(investors, eq(investors.id, contacts.investorId))
      .where(
        and(
          inScope(contacts.ownerUnitId, actor),
          // a contact is shown on its investor's projects: without one in scope it could not be opened
          sql`exists (select 1 from ${projects} where ${projects.investorId} = ${contacts.investorId} and ${projectInScope(actor)})`,
          or(ilike(contacts.name, term), ilike(contacts.phone, term), ilike(contacts.email, term)),
        ),
      )
      .orderBy(asc(contacts.name))
      .limit(limit),
  ]);
  // an investor or contact opens the investor's first project the user can see (one query for all)
  const ids = [...new Set([...i.map((x) => x.id), ...c.map((x) => x.investorId)])];
  const first = ids.length
    ? await db
        .selectDistinctOn([projects.investorId], { investorId: projects.investorId, id: projects.id })
        .from(projects)
        .where(and(inArray(projects.investorId, ids), projectInScope(actor)))
        .orderBy(projects.investorId, asc(projects.code))
    : [];
  const projectOf = new Map(first.map((r) => [r.investorId, r.id]));
  return {
    projects: p,
    investors: i.map((x) => ({ ...x, projectId: projectOf.get(x.id) ?? null })),
    contacts: c.flatMap((x) => {
      const projectId = projectOf.get(x.investorId);
      return projectId ? [{ ...x, projectId }] : [];
    }),
  };
}
