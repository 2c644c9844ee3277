import type { TRole } from "@/lib/domain";

// Who may do what, in one table. Every tRPC procedure names one of these actions; scope (the
// user's unit subtree) is applied separately, inside each service's queries.
export const PERMISSIONS = {
  "project.read": ["staff", "leader", "admin"],
  "project.write": ["staff", "admin"],
  "project.delete": ["admin"],
  "investor.read": ["staff", "leader", "admin"],
  "investor.write": ["staff", "admin"],
  "unit.read": ["staff", "leader", "admin"],
  "unit.manage": ["admin"],
  "user.read": ["staff", "leader", "admin"],
  "user.manage": ["admin"],
  "self.read": ["staff", "leader", "admin"],
  "self.update": ["staff", "leader", "admin"],
  "tranche.read": ["staff", "leader", "admin"],
  "tranche.report": ["staff", "admin"],
  "tranche.verify": ["leader", "admin"],
  "target.read": ["staff", "leader", "admin"],
  "target.write": ["leader", "admin"],
  "figures.read": ["staff", "leader", "admin"],
  "figures.publish": ["leader", "admin"],
  "flag.read": ["staff", "leader", "admin"],
  "flag.review": ["leader", "admin"],
  "import.units": ["admin"],
  "import.projects": ["staff", "admin"],
  "import.tranches": ["staff", "leader", "admin"],
  "import.targets": ["leader", "admin"],
  "export.read": ["staff", "leader", "admin"],
  "audit.read": ["admin"],
  "settings.manage": ["admin"],
  "period.read": ["staff", "leader", "admin"],
  "period.lock": ["leader", "admin"],
  "period.reopen": ["admin"],
  "activity.read": ["staff", "leader", "admin"],
  "activity.write": ["staff", "leader", "admin"],
} as const satisfies Record<string, readonly TRole[]>;

export type TAction = keyof typeof PERMISSIONS;

export function can(role: TRole, action: TAction): boolean {
  return (PERMISSIONS[action] as readonly TRole[]).includes(role);
}
