import type { TCapitalType, TOriginClass } from "./domain";

/**
 * 境外 / 省外 / 市外省内 / 本地 from capital type, the investor's origin and the project's unit.
 * Codes are GB/T 2260: the first two digits name the province, the first four the city.
 * - foreign capital → abroad;
 * - a domestic investor from another province → out_of_province;
 * - from the home province but another city → out_of_city; same city (or unknown origin) → local.
 * `projectCityCode` is the code of the project unit's city (the province code for provincial units).
 */
export function deriveOriginClass(input: {
  capitalType: TCapitalType;
  originRegion: string | null | undefined;
  homeProvinceCode: string;
  projectCityCode: string;
}): TOriginClass {
  if (input.capitalType === "foreign") return "abroad";
  const origin = input.originRegion;
  if (!origin || !/^\d{6}$/.test(origin)) return "local";
  if (origin.slice(0, 2) !== input.homeProvinceCode.slice(0, 2)) return "out_of_province";
  return origin.slice(0, 4) === input.projectCityCode.slice(0, 4) ? "local" : "out_of_city";
}

/** Home province and city codes from a unit path such as "210000/210200/DLJK/". */
export function codesFromPath(path: string) {
  const parts = path.split("/").filter(Boolean);
  return { homeProvinceCode: parts[0] ?? "", projectCityCode: parts[1] ?? parts[0] ?? "" };
}
