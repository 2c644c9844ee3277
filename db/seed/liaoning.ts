// The demo installation: Liaoning province, its 14 cities (GB/T 2260) and some counties,
// districts and development zones.
import type { TUnitKind } from "@/lib/domain";

export type TSeedUnit = { code: string; name: string; kind: TUnitKind; parent: string | null };

export const LIAONING_UNITS: TSeedUnit[] = [
  { code: "210000", name: "辽宁省", kind: "province", parent: null },
  { code: "210100", name: "沈阳市", kind: "city", parent: "210000" },
  { code: "210200", name: "大连市", kind: "city", parent: "210000" },
  { code: "210300", name: "鞍山市", kind: "city", parent: "210000" },
  { code: "210400", name: "抚顺市", kind: "city", parent: "210000" },
  { code: "210500", name: "本溪市", kind: "city", parent: "210000" },
  { code: "210600", name: "丹东市", kind: "city", parent: "210000" },
  { code: "210700", name: "锦州市", kind: "city", parent: "210000" },
  { code: "210800", name: "营口市", kind: "city", parent: "210000" },
  { code: "210900", name: "阜新市", kind: "city", parent: "210000" },
  { code: "211000", name: "辽阳市", kind: "city", parent: "210000" },
  { code: "211100", name: "盘锦市", kind: "city", parent: "210000" },
  { code: "211200", name: "铁岭市", kind: "city", parent: "210000" },
  { code: "211300", name: "朝阳市", kind: "city", parent: "210000" },
  { code: "211400", name: "葫芦岛市", kind: "city", parent: "210000" },
  { code: "210106", name: "沈阳市铁西区", kind: "district", parent: "210100" },
  { code: "210112", name: "沈阳市浑南区", kind: "district", parent: "210100" },
  { code: "210100-JK", name: "沈阳经济技术开发区", kind: "zone", parent: "210100" },
  { code: "210213", name: "大连市金州区", kind: "district", parent: "210200" },
  { code: "210281", name: "瓦房店市", kind: "county", parent: "210200" },
  { code: "210200-GX", name: "大连高新技术产业园区", kind: "zone", parent: "210200" },
  { code: "210200-CX", name: "大连长兴岛经济技术开发区", kind: "zone", parent: "210200" },
  { code: "210381", name: "海城市", kind: "county", parent: "210300" },
  { code: "210681", name: "东港市", kind: "county", parent: "210600" },
  { code: "210804", name: "营口市鲅鱼圈区", kind: "district", parent: "210800" },
  { code: "210800-YK", name: "营口经济技术开发区", kind: "zone", parent: "210800" },
  { code: "211100-LB", name: "盘锦辽滨沿海经济技术开发区", kind: "zone", parent: "211100" },
];

/** Relative weight of each city in the demo pipeline (roughly the real economic weight). */
export const CITY_WEIGHT: Record<string, number> = {
  "210100": 18, "210200": 20, "210300": 8, "210400": 4, "210500": 3, "210600": 5, "210700": 5,
  "210800": 8, "210900": 3, "211000": 4, "211100": 6, "211200": 4, "211300": 3, "211400": 4,
};
