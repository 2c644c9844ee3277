import { STAGES, type TStage, type TStatus } from "./domain";

export const stageIndex = (s: TStage) => STAGES.indexOf(s);

export type TStageMove = {
  from: { stage: TStage; status: TStatus };
  to: { stage: TStage; status: TStatus };
  businessDate: string; // yyyy-mm-dd
  today: string; // yyyy-mm-dd, injected so the rule stays pure
  /** business date of the project's latest stage event: a new event cannot be dated before it */
  notBefore?: string | null;
  reason?: string | null;
  signedAmount?: string | null;
};

/** Field → message key. An empty object means the move is allowed. */
export type TMoveProblems = Partial<Record<"to" | "businessDate" | "reason" | "signedAmount", string>>;

export function isBackward(from: TStage, to: TStage) {
  return stageIndex(to) < stageIndex(from);
}

/** Stages passed over by a forward move (contact → signed skips negotiation). */
export function skippedStages(from: TStage, to: TStage): TStage[] {
  return STAGES.slice(stageIndex(from) + 1, Math.max(stageIndex(to), stageIndex(from) + 1));
}

/** What a move needs, so the dialog can ask for exactly that. */
export function moveRequirements(from: { stage: TStage; status: TStatus }, to: { stage: TStage; status: TStatus }) {
  const entersSigned = to.stage === "signed" && stageIndex(from.stage) < stageIndex("signed");
  return {
    needsReason: isBackward(from.stage, to.stage) || (to.status === "lost" && from.status !== "lost"),
    needsSigning: entersSigned,
  };
}

/**
 * The stage rules of the spec, in one place:
 * - `funds` is reached by the first tranche, never by hand;
 * - moving backwards, or to `lost`, needs a reason;
 * - entering `signed` needs the signing date (the business date) and a positive signed amount;
 * - the business date cannot be in the future, nor before the project's latest event (days in a
 *   stage are never negative, and the timeline stays in order).
 */
export function checkStageMove(m: TStageMove): TMoveProblems {
  const problems: TMoveProblems = {};
  if (m.from.stage === m.to.stage && m.from.status === m.to.status) problems.to = "errors.stage.noChange";
  else if (m.to.stage === "funds" && m.from.stage !== "funds") problems.to = "errors.stage.fundsByTranche";
  const req = moveRequirements(m.from, m.to);
  if (req.needsReason && !m.reason?.trim()) problems.reason = "errors.stage.reasonRequired";
  if (req.needsSigning) {
    const amount = m.signedAmount?.trim();
    if (!amount || !/^\d+(\.\d{1,2})?$/.test(amount) || /^0+(\.0+)?$/.test(amount))
      problems.signedAmount = "errors.stage.signedAmountRequired";
  }
  if (m.businessDate > m.today) problems.businessDate = "errors.date.future";
  else if (m.notBefore && m.businessDate < m.notBefore) problems.businessDate = "errors.stage.beforeLastEvent";
  return problems;
}

export type TMilestones = {
  signedOn: string | null;
  registeredOn: string | null;
  constructionOn: string | null;
  productionOn: string | null;
  today: string;
};
export type TMilestoneProblems = Partial<Record<"registeredOn" | "constructionOn" | "productionOn", string>>;

/**
 * 注册、开工、投产 follow the signing: each on or after the signing date, production not before
 * construction start, none in the future (they feed the 三未 flags, which must not be silenced by
 * an invented date).
 */
export function checkMilestones(m: TMilestones): TMilestoneProblems {
  const problems: TMilestoneProblems = {};
  for (const field of ["registeredOn", "constructionOn", "productionOn"] as const) {
    const d = m[field];
    if (!d) continue;
    if (!m.signedOn) problems[field] = "errors.project.milestoneBeforeSigning";
    else if (d > m.today) problems[field] = "errors.date.future";
    else if (d < m.signedOn) problems[field] = "errors.project.milestoneBeforeSigned";
  }
  if (!problems.productionOn && !problems.constructionOn && m.constructionOn && m.productionOn && m.productionOn < m.constructionOn)
    problems.productionOn = "errors.project.productionBeforeConstruction";
  return problems;
}
