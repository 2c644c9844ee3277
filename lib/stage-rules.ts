import { STAGES, type TStage, type TStatus } from "./domain";

export const stageIndex = (s: TStage) => STAGES.indexOf(s);

export type TStageMove = {
  from: { stage: TStage; status: TStatus };
  to: { stage: TStage; status: TStatus };
  businessDate: string; // yyyy-mm-dd
  today: string; // yyyy-mm-dd, injected so the rule stays pure
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
 * - the business date cannot be in the future.
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
  return problems;
}
