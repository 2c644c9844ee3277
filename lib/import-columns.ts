// The columns of each import file: English key, Chinese aliases (and the English label last), and
// what the cell holds. Headers match by key or alias in any order; an amount header may carry its
// unit: 计划投资额(万元). Shared by the importer and the import page.
export const IMPORT_KINDS = ["units", "projects", "tranches", "targets"] as const;
export type TImportKind = (typeof IMPORT_KINDS)[number];

export type TColumn = { key: string; aliases: string[]; required?: boolean; amount?: boolean };

export const COLUMNS: Record<TImportKind, TColumn[]> = {
  units: [
    { key: "code", aliases: ["单位代码", "代码", "区划代码", "Unit code"], required: true },
    { key: "name", aliases: ["单位名称", "名称", "单位", "Unit"], required: true },
    { key: "parent_code", aliases: ["上级代码", "上级单位代码", "上级", "Parent code"] },
    { key: "kind", aliases: ["类型", "单位类型", "Kind"] },
  ],
  projects: [
    { key: "code", aliases: ["项目编号", "编号", "Code"], required: true },
    { key: "name", aliases: ["项目名称", "名称", "Project"], required: true },
    { key: "capital_type", aliases: ["内外资", "资金类型", "内资/外资", "Capital"], required: true },
    { key: "unit", aliases: ["责任单位", "单位", "所属单位", "Unit"], required: true },
    { key: "investor", aliases: ["投资方", "投资方名称", "客商", "投资主体", "Investor"], required: true },
    { key: "investor_origin", aliases: ["投资方来源地", "来源地", "投资方所在地", "Investor origin"] },
    { key: "credit_code", aliases: ["统一社会信用代码", "信用代码", "Credit code"] },
    { key: "industry", aliases: ["行业", "产业", "所属行业", "Industry"] },
    { key: "source_channel", aliases: ["来源渠道", "渠道", "招商方式", "Source channel"] },
    { key: "planned_amount", aliases: ["计划投资额", "计划总投资", "总投资", "Planned investment"], required: true, amount: true },
    { key: "stage", aliases: ["阶段", "项目阶段", "进展阶段", "Stage"] },
    { key: "status", aliases: ["状态", "项目状态", "Status"] },
    { key: "status_reason", aliases: ["状态原因", "暂缓/终止原因", "终止原因", "Status reason"] },
    { key: "contact_date", aliases: ["接触日期", "首次接触日期", "Contact date"] },
    { key: "negotiation_date", aliases: ["洽谈日期", "Negotiation date"] },
    { key: "signed_date", aliases: ["签约日期", "Signing date"] },
    { key: "signed_amount", aliases: ["签约金额", "签约额", "合同金额", "Signed amount"], amount: true },
    { key: "owner_email", aliases: ["负责人", "负责人邮箱", "Owner"] },
    { key: "notes", aliases: ["备注", "Notes"] },
  ],
  tranches: [
    { key: "project_code", aliases: ["项目编号", "编号", "Project code"], required: true },
    { key: "arrived_on", aliases: ["到位日期", "到账日期", "Arrival date"], required: true },
    { key: "amount", aliases: ["到位金额", "到位资金", "金额", "Amount"], required: true, amount: true },
    { key: "verified", aliases: ["是否核实", "已核实", "核实", "Verified"] },
    { key: "evidence_no", aliases: ["凭证号", "凭证编号", "进账单号", "Evidence number"] },
    { key: "note", aliases: ["备注", "Note"] },
  ],
  targets: [
    { key: "unit", aliases: ["单位", "单位名称", "单位代码", "Unit"], required: true },
    { key: "year", aliases: ["年度", "年份", "Year"], required: true },
    { key: "metric", aliases: ["指标", "指标名称", "Metric"], required: true },
    { key: "value", aliases: ["目标值", "目标", "数值", "Value"], required: true, amount: true },
  ],
};


/** What an import file may hold: stated on the page, enforced by the importer. */
export const IMPORT_LIMITS = {
  maxBytes: 20 * 1024 * 1024, // the uploaded file
  maxRows: 50_000,
  maxUncompressedBytes: 200 * 1024 * 1024, // all parts of an XLSX, expanded
  maxCompressionRatio: 100, // expanded / compressed: beyond this the file is a zip bomb
};
