import { describe, expect, it } from "vitest";
import { FLAG_RULES, flagKey, groupRepeatSignings, isSameProject, nameSimilarity, overSigned, ruleOfKey, threeNotItems } from "@/lib/flags";
import { normalizeProjectName } from "@/lib/project-name";
import { skippedStages } from "@/lib/stage-rules";

describe("project name normalisation (重复签约)", () => {
  it("ignores whitespace, punctuation, width, case and generic words", () => {
    const core = "华晨宝马新能源汽车";
    for (const name of [
      "华晨宝马新能源汽车生产基地建设项目",
      "华晨宝马 新能源汽车（生产基地）项目",
      "华晨宝马·新能源汽车扩建项目",
      "华晨宝马新能源汽车产业园",
      "华晨宝马新能源汽车改扩建工程",
    ])
      expect(normalizeProjectName(name), name).toBe(core);
    expect(normalizeProjectName("ＢＭＷ  EV-Plant Project")).toBe("bmwevplant");
  });
  it("keeps what tells projects apart: phases, products, other words", () => {
    expect(normalizeProjectName("恒力石化一期项目")).not.toBe(normalizeProjectName("恒力石化二期项目"));
    expect(normalizeProjectName("华晨宝马研发中心项目")).not.toBe(normalizeProjectName("华晨宝马生产基地项目"));
    expect(normalizeProjectName("年产10万吨乙烯项目")).toBe("年产10万吨乙烯");
  });
  it("never collapses a name made only of generic words to nothing", () => {
    expect(normalizeProjectName("建设项目")).toBe("建设项目");
    expect(normalizeProjectName("项目 建设")).toBe("项目建设");
    expect(normalizeProjectName("建设项目")).not.toBe(normalizeProjectName("扩建工程"));
  });
});

const row = (id: string, investorKey: string, name: string, unitId: string) => ({ id, investorKey, name, unitId });

describe("project name similarity (重复签约)", () => {
  it("is the character-bigram Dice coefficient of the normalised names", () => {
    expect(nameSimilarity("华晨宝马新能源汽车项目", "华晨宝马新能源汽车生产基地建设项目")).toBe(1);
    // 8 bigrams each, 6 shared: 2·6 / 16
    expect(nameSimilarity("华晨宝马新能源汽车项目", "华晨宝马新能源整车项目")).toBe(0.75);
    expect(nameSimilarity("华晨宝马研发中心项目", "华晨宝马新能源汽车项目")).toBeCloseTo(0.4, 5);
    expect(nameSimilarity("乙烯", "丙烯")).toBe(0);
    expect(nameSimilarity("A", "a")).toBe(1);
  });
  it("near pairs are the same project", () => {
    for (const [a, b] of [
      ["华晨宝马新能源汽车项目", "华晨宝马新能源整车项目"],
      ["恒力石化乙烯项目", "恒力石化乙烯建设项目"],
      ["大连英特尔存储芯片项目", "英特尔大连存储芯片项目"],
      ["宁德时代动力电池生产基地项目", "宁德时代动力电池基地项目"],
      ["年产10万吨乙烯项目", "年产10万吨乙烯扩建工程"],
    ])
      expect(isSameProject(a!, b!), `${a} ~ ${b}`).toBe(true);
  });
  it("far pairs, and pairs that differ in a phase or a number, are not", () => {
    for (const [a, b] of [
      ["华晨宝马研发中心项目", "华晨宝马新能源汽车项目"],
      ["华晨宝马零部件物流中心项目", "华晨宝马新能源汽车项目"],
      ["恒力石化乙烯一期项目", "恒力石化乙烯二期项目"],
      ["年产10万吨乙烯项目", "年产20万吨乙烯项目"],
      ["光伏组件项目", "光伏电池项目"],
      ["乙烯", "丙烯"],
    ])
      expect(isSameProject(a!, b!), `${a} ≁ ${b}`).toBe(false);
  });
});

describe("repeat signing groups", () => {
  it("joins similar names of one investor (汽车 / 整车), transitively, across units", () => {
    const groups = groupRepeatSignings([
      row("a", "华晨", "华晨宝马新能源汽车项目", "dl"),
      row("b", "华晨", "华晨宝马新能源整车项目", "sy"),
      row("c", "华晨", "华晨宝马研发中心项目", "dd"),
      row("d", "一汽", "华晨宝马新能源汽车项目", "dd"),
    ]);
    expect(groups.map((g) => g.map((r) => r.id))).toEqual([["a", "b"]]);
  });
  it("keeps phases apart", () => {
    expect(groupRepeatSignings([row("a", "恒力", "恒力石化乙烯一期项目", "dl"), row("b", "恒力", "恒力石化乙烯二期项目", "sy")])).toEqual([]);
  });

  it("groups one investor's similar names across two or more units", () => {
    const groups = groupRepeatSignings([
      row("a", "华晨", "新能源汽车生产基地项目", "dl"),
      row("b", "华晨", "新能源汽车 项目", "sy"),
      row("c", "华晨", "研发中心项目", "dd"),
      row("d", "一汽", "新能源汽车项目", "dd"),
      row("e", "华晨", "新能源汽车扩建", "dl"),
    ]);
    expect(groups.map((g) => g.map((r) => r.id))).toEqual([["a", "b", "e"]]);
  });
  it("does not flag the same name twice in one unit", () => {
    expect(groupRepeatSignings([row("a", "华晨", "新能源汽车项目", "dl"), row("b", "华晨", "新能源汽车", "dl")])).toEqual([]);
  });
});

describe("flag keys", () => {
  it("are the rule plus the sorted ids, with a digest standing for rows not named", () => {
    expect(flagKey("backdated", ["t1"])).toBe("backdated:t1");
    expect(flagKey("duplicate_evidence", ["b", "a", "b"])).toBe("duplicate_evidence:a,b");
    expect(flagKey("duplicate_evidence", ["a"], "9f8e")).toBe("duplicate_evidence:a+9f8e");
    expect(flagKey("over_signed", ["p"], null)).toBe("over_signed:p");
  });
  it("give back their rule, and nothing for other strings", () => {
    for (const r of FLAG_RULES) expect(ruleOfKey(flagKey(r, ["x"]))).toBe(r);
    expect(ruleOfKey("nonsense")).toBeNull();
    expect(ruleOfKey("stale:abc")).toBeNull();
    expect(ruleOfKey(":abc")).toBeNull();
  });
});

describe("rule helpers", () => {
  it("三未 names each missing item", () => {
    expect(threeNotItems({ registeredOn: null, constructionOn: null, hasVerifiedFunds: false })).toEqual(["unregistered", "not_started", "unfunded"]);
    expect(threeNotItems({ registeredOn: "2026-03-01", constructionOn: null, hasVerifiedFunds: true })).toEqual(["not_started"]);
    expect(threeNotItems({ registeredOn: "2026-03-01", constructionOn: "2026-04-01", hasVerifiedFunds: true })).toEqual([]);
  });
  it("a skip names the stages passed over (the SQL rule selects forward moves over one or more)", () => {
    expect(skippedStages("contact", "funds")).toEqual(["negotiation", "signed"]);
    expect(skippedStages("contact", "signed")).toEqual(["negotiation"]);
    expect(skippedStages("negotiation", "signed")).toEqual([]);
  });
  it("over-signed is strictly above, in exact decimals", () => {
    expect(overSigned("1100000.00", "1000000.00")).toEqual({ excess: "100000.00", pct: "110.0" });
    expect(overSigned("1000000.00", "1000000.00")).toBeNull();
    expect(overSigned("0.30", "0.29")).toEqual({ excess: "0.01", pct: "103.4" });
    expect(overSigned("10", null)).toBeNull();
    expect(overSigned("10", "0")).toBeNull();
  });
});
