import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { units } from "@/db/schema";
import type { TActor } from "./actor";

/** LIKE pattern for a unit path's subtree; paths hold only digits and "/" so nothing to escape. */
export const subtreePattern = (unitPath: string) => `${unitPath}%`;

/** `column` (a unit id) lies in the actor's scope: their unit or any descendant. */
export function inScope(unitIdColumn: AnyPgColumn | SQL, actor: Pick<TActor, "unitPath">): SQL {
  return sql`${unitIdColumn} in (select ${units.id} from ${units} where ${units.path} like ${subtreePattern(actor.unitPath)})`;
}

/** A unit path lies in the actor's scope. */
export const pathInScope = (path: string, actor: Pick<TActor, "unitPath">) => path.startsWith(actor.unitPath);
