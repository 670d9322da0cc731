import { describe, expect, it } from "vitest";
import { canonical, diffJson, diffText, isUnchanged, tokenize } from "./diff";

const render = (ops: ReturnType<typeof diffText>): string =>
  ops
    .map((o) => (o.op === "equal" ? o.text : o.op === "insert" ? `{+${o.text}+}` : `[-${o.text}-]`))
    .join("");

describe("text diff", () => {
  it("tokenizes losslessly", () => {
    const text = "Answer  briefly.\nThink step by step.\n";
    expect(tokenize(text).join("")).toBe(text);
  });

  it("marks inserted and deleted words", () => {
    expect(render(diffText("Answer the question.", "Answer the question briefly."))).toBe(
      "Answer the question{+ briefly+}.",
    );
    const ops = diffText("Answer the question.", "Answer the user question.");
    expect(render(ops)).toBe("Answer the {+user +}question.");
    expect(ops.filter((o) => o.op !== "equal")).toEqual([{ op: "insert", text: "user " }]);
  });

  it("reads as a line diff on multi-line instructions", () => {
    const ops = diffText("line one\nline two\n", "line one\nline 2\n");
    expect(render(ops)).toBe("line one\nline [-two-]{+2+}\n");
  });

  it("the equal and inserted parts rebuild the new text, equal and deleted the old", () => {
    const a = "Be concise. Cite the source. Use French.";
    const b = "Be very concise. Use English. Cite sources.";
    const ops = diffText(a, b);
    expect(
      ops
        .filter((o) => o.op !== "delete")
        .map((o) => o.text)
        .join(""),
    ).toBe(b);
    expect(
      ops
        .filter((o) => o.op !== "insert")
        .map((o) => o.text)
        .join(""),
    ).toBe(a);
  });
});

describe("JSON-aware diff", () => {
  it("diffs instructions as text and examples as added / removed items", () => {
    const before = {
      instructions: "Answer the question.",
      examples: [
        { q: "1+1", a: "2" },
        { q: "2+2", a: "4" },
      ],
    };
    const after = {
      instructions: "Answer the question exactly.",
      examples: [
        { a: "4", q: "2+2" },
        { q: "3+3", a: "6" },
      ],
    };
    const [instr, examples] = diffJson(before, after);
    expect(instr?.kind).toBe("text");
    expect(examples).toEqual({
      kind: "list",
      key: "examples",
      added: [{ q: "3+3", a: "6" }],
      removed: [{ q: "1+1", a: "2" }],
      kept: 1,
    });
  });

  it("reports unchanged fields and added / removed keys", () => {
    const diff = diffJson({ a: 1, b: "x" }, { b: "x", c: true });
    expect(diff).toEqual([
      { kind: "value", key: "a", before: 1, after: undefined },
      { kind: "same", key: "b", value: "x" },
      { kind: "value", key: "c", before: undefined, after: true },
    ]);
    expect(isUnchanged(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }))).toBe(true);
    expect(isUnchanged(diff)).toBe(false);
  });

  it("compares non-object values as one field", () => {
    expect(diffJson("old prompt", "new prompt")).toEqual([
      {
        kind: "text",
        key: "",
        ops: [
          { op: "delete", text: "old" },
          { op: "insert", text: "new" },
          { op: "equal", text: " prompt" },
        ],
      },
    ]);
    expect(diffJson(1, 2)).toEqual([{ kind: "value", key: "", before: 1, after: 2 }]);
  });

  it("canonical JSON ignores key order", () => {
    expect(canonical({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe(
      canonical({ a: [2, { c: 4, d: 3 }], b: 1 }),
    );
  });
});
