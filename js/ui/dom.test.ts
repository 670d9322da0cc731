import { describe, expect, it } from "vitest";
import { brief, pretty } from "./dom";

describe("brief", () => {
  it("keeps a short value on one line", () => {
    const example = { inputs: { item: "kiwi" }, outputs: { label: "FRUIT" }, reward: 1 };
    expect(brief(example)).toBe(
      '{"inputs":{"item":"kiwi"},"outputs":{"label":"FRUIT"},"reward":1}',
    );
  });

  it("falls back to pretty JSON past the width", () => {
    const long = { text: "x".repeat(120) };
    expect(brief(long)).toBe(pretty(long));
    expect(brief(long)).toContain("\n");
  });

  it("shows strings as they are", () => {
    expect(brief("Answer briefly.")).toBe("Answer briefly.");
  });
});
