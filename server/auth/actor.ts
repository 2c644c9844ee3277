import type { TRole } from "@/lib/domain";

/** The signed-in user as every service sees it. `unitPath` defines the scope. */
export type TActor = {
  id: string;
  email: string;
  name: string;
  role: TRole;
  unitId: string;
  unitCode: string;
  unitName: string;
  unitPath: string;
  locale: "zh-CN" | "en";
};

/** Who performs an administrative write: a signed-in user, or the CLI acting as the system. */
export type TAdminActor = { id: string | null; unitPath: string };

/** The CLI's actor: the whole tree in scope, recorded in the audit log with no user. */
export const SYSTEM_ACTOR: TAdminActor = { id: null, unitPath: "" };
