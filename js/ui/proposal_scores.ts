import type { Proposal } from "../protocol";
import { fmtReward } from "./dom";

/** One "before → after" line of a proposal card. */
export interface ScoreLine {
  label: string;
  text: string;
  /** after − before, or null when either side is unknown. */
  delta: number | null;
}

const line = (label: string, before: number | null, after: number | null): ScoreLine => ({
  label,
  text: `${label} ${fmtReward(before)} → ${fmtReward(after)}`,
  delta: before !== null && after !== null ? after - before : null,
});

/** The batch line, always; the validation line once the proposal was confirmed there. */
export function scoreLines(p: Proposal): { batch: ScoreLine; validation: ScoreLine | null } {
  return {
    batch: line("Reward", p.reward_before, p.reward_after),
    validation:
      p.val_reward_after === null
        ? null
        : line("Validation", p.val_reward_before, p.val_reward_after),
  };
}

/** "+0.125" / "-0.250": a delta as the card shows it. */
export const fmtDelta = (delta: number): string => `${delta >= 0 ? "+" : ""}${delta.toFixed(3)}`;

/** The optimizer's reason for the change ("why this change"), or null when it gave none. */
export function whyText(p: Proposal): string | null {
  const text = p.rationale.trim();
  return text ? text : null;
}
