// Pools for plausible Chinese company, project and person names in demo and benchmark data.
import { creditCodeCheckChar } from "@/lib/credit-code";
import type { TIndustry } from "@/lib/domain";
import type { TRandom } from "./random";

export const CITY_PREFIXES: Record<string, string[]> = {
  "110000": ["北京"], "120000": ["天津"], "130000": ["石家庄", "唐山"], "310000": ["上海"],
  "320000": ["南京", "苏州", "无锡", "常州", "江苏"], "330000": ["杭州", "宁波", "温州", "浙江"],
  "340000": ["合肥", "安徽"], "350000": ["厦门", "福州"], "370000": ["青岛", "济南", "烟台", "山东"],
  "410000": ["郑州"], "420000": ["武汉", "湖北"], "440000": ["深圳", "广州", "佛山", "东莞", "广东"],
  "510000": ["成都", "四川"], "610000": ["西安"], "230000": ["哈尔滨"], "220000": ["长春", "吉林"],
  "500000": ["重庆"], "430000": ["长沙"],
  "210100": ["沈阳"], "210200": ["大连"], "210300": ["鞍山"], "210400": ["抚顺"], "210500": ["本溪"],
  "210600": ["丹东"], "210700": ["锦州"], "210800": ["营口"], "210900": ["阜新"], "211000": ["辽阳"],
  "211100": ["盘锦"], "211200": ["铁岭"], "211300": ["朝阳"], "211400": ["葫芦岛"],
};

const BRANDS = [
  "恒瑞", "华能", "中科", "远景", "金发", "宏达", "瑞泰", "鼎盛", "海润", "博远", "天合", "正泰", "新宙", "凯盛",
  "信达", "德润", "东方", "华晟", "润丰", "嘉禾", "万邦", "康达", "汇川", "奥克", "恒通", "盛华", "国瑞", "卓越",
  "宏图", "明阳", "云澜", "星辰", "天成", "永鑫", "银川", "瑞丰", "长风", "北辰", "海川", "金桥", "华信", "鑫源",
  "中鼎", "沃华", "联创", "精工", "华泰", "启明", "泰和", "安泰", "九州", "龙腾", "凯瑞", "宝融", "弘毅", "聚能",
];

const COMPANY_WORDS: Record<TIndustry, string[]> = {
  advanced_manufacturing: ["智能装备", "精密机械", "汽车零部件", "机器人"],
  equipment: ["重工", "装备制造", "船舶重工", "动力设备"],
  petrochemical: ["石化", "化工", "精细化工"],
  new_materials: ["新材料科技", "碳材料", "特钢"],
  new_energy: ["新能源", "氢能科技", "储能技术", "光伏科技"],
  electronics: ["电子科技", "半导体", "光电科技", "微电子"],
  biomedicine: ["生物医药", "医疗器械", "药业", "生物科技"],
  agriculture_food: ["食品", "农业发展", "海洋食品", "粮油"],
  logistics: ["物流", "供应链管理", "国际货运", "冷链物流"],
  tourism_culture: ["文旅发展", "旅游开发", "文化产业"],
  modern_services: ["投资控股", "商业管理", "企业服务"],
  digital_economy: ["数据科技", "信息技术", "软件", "云计算"],
  other: ["实业", "发展", "投资"],
};

const PROJECT_PRODUCTS: Record<TIndustry, string[]> = {
  advanced_manufacturing: ["精密轴承", "工业机器人", "五轴数控机床", "智能网联汽车零部件", "高端液压件", "新能源汽车电驱系统"],
  equipment: ["海上风电装备", "船舶配套", "大型盾构机", "石化成套装备", "核电关键部件"],
  petrochemical: ["高性能聚烯烃", "精细化工新材料", "乙烯下游高端化学品", "可降解塑料", "特种润滑油"],
  new_materials: ["碳纤维复合材料", "镁基新材料", "高纯石墨负极材料", "高端特种钢材", "硼基新材料"],
  new_energy: ["氢燃料电池系统", "储能电池", "高效光伏组件", "风电叶片", "绿电制氢"],
  electronics: ["集成电路封装测试", "光电显示模组", "智能传感器", "第三代半导体", "电子元器件"],
  biomedicine: ["生物医药研发", "高端医疗器械", "中药现代化", "创新药生产", "体外诊断试剂"],
  agriculture_food: ["海参深加工", "粮油精深加工", "肉牛屠宰加工", "现代农业", "预制菜加工"],
  logistics: ["冷链物流", "跨境电商物流", "智慧港口物流", "保税仓储", "多式联运"],
  tourism_culture: ["滨海文旅综合体", "温泉度假区", "工业遗址文创园", "冰雪旅游度假区"],
  modern_services: ["东北区域总部", "金融后台服务中心", "研发设计中心", "国际会展中心"],
  digital_economy: ["大数据中心", "工业互联网平台", "软件研发基地", "智能算力中心"],
  other: ["综合开发", "产业升级改造"],
};
const PROJECT_KINDS = ["项目", "产业园项目", "生产基地项目", "建设项目", "扩建项目"];
const CAPACITY = ["年产10万吨", "年产5万套", "年产20GWh", "年产3000台", "年产50万件", "年产1.2万吨"];

const FOREIGN_PREFIX: Record<string, { name: string; suffix: string }> = {
  HK: { name: "香港", suffix: "有限公司" }, MO: { name: "澳门", suffix: "有限公司" }, TW: { name: "台湾", suffix: "股份有限公司" },
  JP: { name: "日本", suffix: "株式会社" }, KR: { name: "韩国", suffix: "株式会社" }, SG: { name: "新加坡", suffix: "私人有限公司" },
  US: { name: "美国", suffix: "公司" }, DE: { name: "德国", suffix: "有限公司" }, FR: { name: "法国", suffix: "集团" },
  GB: { name: "英国", suffix: "有限公司" }, NL: { name: "荷兰", suffix: "有限公司" }, CH: { name: "瑞士", suffix: "股份公司" },
};
export const FOREIGN_ORIGINS: ReadonlyArray<readonly [string, number]> = [
  ["HK", 40], ["JP", 14], ["KR", 14], ["SG", 8], ["TW", 5], ["US", 6], ["DE", 6], ["FR", 2], ["GB", 2], ["NL", 1], ["CH", 1], ["MO", 1],
];

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢";
const GIVEN = ["建国", "海波", "晓东", "丽娜", "志强", "春雨", "明辉", "雪梅", "立新", "静", "伟", "洋", "磊", "婷", "宇航", "思远", "秀英", "红军", "国庆", "振华", "佳怡", "子涵", "文博", "雅琴", "德胜"];

export const personName = (r: TRandom) => `${SURNAMES[r.int(0, SURNAMES.length - 1)]}${r.pick(GIVEN)}`;

export function domesticInvestorName(r: TRandom, originCode: string, industry: TIndustry) {
  const prefix = r.pick(CITY_PREFIXES[originCode] ?? ["华夏"]);
  const suffix = r.weighted([["有限公司", 6], ["股份有限公司", 3], ["集团有限公司", 2]] as const);
  return `${prefix}${r.pick(BRANDS)}${r.pick(COMPANY_WORDS[industry])}${suffix}`;
}

export function foreignInvestorName(r: TRandom, country: string, industry: TIndustry) {
  const p = FOREIGN_PREFIX[country] ?? { name: "", suffix: "有限公司" };
  return `${p.name}${r.pick(BRANDS)}${r.pick(COMPANY_WORDS[industry])}${p.suffix}`;
}

export function projectName(r: TRandom, investorName: string, industry: TIndustry) {
  const brand = investorName.replace(/^(香港|澳门|台湾|日本|韩国|新加坡|美国|德国|法国|英国|荷兰|瑞士)/, "").slice(0, 4);
  const short = Object.values(CITY_PREFIXES).flat().find((p) => brand.startsWith(p)) ? brand.slice(-2) : brand.slice(0, 2);
  const capacity = ["petrochemical", "new_materials", "new_energy", "advanced_manufacturing"].includes(industry) && r.chance(0.4) ? r.pick(CAPACITY) : "";
  return `${short}${capacity}${r.pick(PROJECT_PRODUCTS[industry])}${r.pick(PROJECT_KINDS)}`;
}

const CC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** A valid unified social credit code registered in `regionCode` (GB/T 2260). */
export function creditCode(r: TRandom, regionCode: string) {
  let body = `91${regionCode}`;
  for (let i = 0; i < 9; i++) body += CC_ALPHABET[r.int(0, i < 8 ? 30 : 9)];
  return body + creditCodeCheckChar(body)!;
}
