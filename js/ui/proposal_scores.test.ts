import { describe, expect, it } from "vitest";
import { parseProposal } from "../protocol";
import { fmtDelta, scoreLines, whyText } from "./proposal_scores";

const base = {
  id: "p1",
  variable_path: "gen/instructions",
  status: "pending",
  epoch: 1,
  batch: 2,
  reward_before: 0.25,
  reward_after: 0.875,
};

describe("scoreLines", () => {
  it("shows the batch line alone before validation", () => {
    const { batch, validation } = scoreLines(parseProposal(base));
    expect(batch.text).toBe("Reward 0.250 → 0.875");
    expect(batch.delta).toBeCloseTo(0.625);
    expect(validation).toBeNull();
  });

  it("adds the validation line once confirmed", () => {
    const p = parseProposal({ ...base, val_reward_before: 0.5, val_reward_after: 0.375 });
    const validation = scoreLines(p).validation;
    expect(validation?.text).toBe("Validation 0.500 → 0.375");
    expect(fmtDelta(validation?.delta ?? 0)).toBe("-0.125");
  });
});

describe("whyText", () => {
  it("is the optimizer's rationale, or null when there is none", () => {
    expect(whyText(parseProposal({ ...base, rationale: " Labels must be upper case. " }))).toBe(
      "Labels must be upper case.",
    );
    expect(whyText(parseProposal(base))).toBeNull();
  });

  it("rejects a validation score that is not a number", () => {
    expect(() => parseProposal({ ...base, val_reward_after: "0.5" })).toThrow(
      /proposal\.val_reward_after/,
    );
  });
});
