// Closed sets the statistics depend on. They are code-owned (not user-editable rows) and feed
// pgEnums in db/schema, zod inputs on the server and labels in the UI.

export const ROLES = ["staff", "leader", "admin"] as const;
export type TRole = (typeof ROLES)[number];

export const STAGES = ["contact", "negotiation", "signed", "funds"] as const;
export type TStage = (typeof STAGES)[number];

export const STATUSES = ["active", "on_hold", "lost"] as const;
export type TStatus = (typeof STATUSES)[number];

export const CAPITAL_TYPES = ["domestic", "foreign"] as const;
export type TCapitalType = (typeof CAPITAL_TYPES)[number];

export const CURRENCIES = ["CNY", "USD"] as const;
export type TCurrency = (typeof CURRENCIES)[number];

export const currencyOf = (capitalType: TCapitalType): TCurrency =>
  capitalType === "foreign" ? "USD" : "CNY";

export const ORIGIN_CLASSES = ["abroad", "out_of_province", "out_of_city", "local"] as const;
export type TOriginClass = (typeof ORIGIN_CLASSES)[number];

export const SOURCE_CHANNELS = [
  "exhibition",
  "chamber",
  "association",
  "paired",
  "leader_led",
  "referral",
  "online",
  "other",
] as const;
export type TSourceChannel = (typeof SOURCE_CHANNELS)[number];

export const UNIT_KINDS = ["province", "city", "county", "district", "zone"] as const;
export type TUnitKind = (typeof UNIT_KINDS)[number];

export const ACTIVITY_KINDS = ["visit", "meeting", "call", "delegation", "event", "other"] as const;
export type TActivityKind = (typeof ACTIVITY_KINDS)[number];

export const TRANCHE_STATUSES = ["pending", "verified", "rejected"] as const;
export type TTrancheStatus = (typeof TRANCHE_STATUSES)[number];

export const TARGET_METRICS = [
  "domestic_funds",
  "foreign_funds",
  "out_of_province_funds",
  "signed_projects",
] as const;
export type TTargetMetric = (typeof TARGET_METRICS)[number];

export const PERIOD_KINDS = ["month", "quarter"] as const;
export type TPeriodKind = (typeof PERIOD_KINDS)[number];

export const INDUSTRIES = [
  "advanced_manufacturing",
  "equipment",
  "petrochemical",
  "new_materials",
  "new_energy",
  "electronics",
  "biomedicine",
  "agriculture_food",
  "logistics",
  "tourism_culture",
  "modern_services",
  "digital_economy",
  "other",
] as const;
export type TIndustry = (typeof INDUSTRIES)[number];
