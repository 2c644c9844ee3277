import "server-only";
import { getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";

/** Units and possible owners for the project form, all within the user's scope. */
export async function projectFormOptions() {
  const api = await serverApi();
  const [units, users, me, t] = await Promise.all([api.units.list(), api.users.list({ includeDisabled: false, role: "staff" }), api.me.get(), getTranslations("common")]);
  const base = units[0]?.depth ?? 0;
  const byId = new Map(units.map((u) => [u.id, u]));
  return {
    me: me!,
    units: units.map((u) => ({ id: u.id, code: u.code, name: u.name, depth: u.depth - base, kind: u.kind, path: u.path })),
    owners: users.map((o) => ({ id: o.id, label: t("withNote", { text: o.name, note: o.unitName }), unitPath: byId.get(o.unitId)?.path ?? "" })),
    // the root of the tree is the home province (its code's first two digits)
    homeProvince: `${(units.find((u) => u.kind === "province")?.path ?? me!.unitPath).slice(0, 2)}0000`,
  };
}
