import { pgEnum } from "drizzle-orm/pg-core";
import {
  ACTIVITY_KINDS, CAPITAL_TYPES, ORIGIN_CLASSES, PERIOD_KINDS, ROLES, SOURCE_CHANNELS, STAGES, STATUSES,
  TARGET_METRICS, TRANCHE_STATUSES, UNIT_KINDS,
} from "../../lib/domain";

export const roleEnum = pgEnum("role", ROLES);
export const stageEnum = pgEnum("stage", STAGES);
export const statusEnum = pgEnum("project_status", STATUSES);
export const capitalTypeEnum = pgEnum("capital_type", CAPITAL_TYPES);
export const originClassEnum = pgEnum("origin_class", ORIGIN_CLASSES);
export const sourceChannelEnum = pgEnum("source_channel", SOURCE_CHANNELS);
export const unitKindEnum = pgEnum("unit_kind", UNIT_KINDS);
export const activityKindEnum = pgEnum("activity_kind", ACTIVITY_KINDS);
export const trancheStatusEnum = pgEnum("tranche_status", TRANCHE_STATUSES);
export const targetMetricEnum = pgEnum("target_metric", TARGET_METRICS);
export const periodKindEnum = pgEnum("period_kind", PERIOD_KINDS);
