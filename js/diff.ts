/**
 * JSON-aware diff of two variable values, as pure data.
 *
 * A trainable variable is JSON (typically `{"instructions": str, "examples":
 * [...]}`), so a proposal is shown field by field: strings as a word diff (line
 * breaks kept as tokens, so multi-line instructions read as a line diff too),
 * lists as items added / removed (compared by canonical JSON), anything else as
 * before -> after. `renderDiff` in `ui/diff_view.ts` turns this into DOM.
 */

import type { JsonValue } from "./protocol";

export type TextOp = { op: "equal" | "insert" | "delete"; text: string };

export type FieldDiff =
  | { kind: "same"; key: string; value: JsonValue }
  | { kind: "text"; key: string; ops: TextOp[] }
  | { kind: "list"; key: string; added: JsonValue[]; removed: JsonValue[]; kept: number }
  | { kind: "value"; key: string; before: JsonValue | undefined; after: JsonValue | undefined };

/** Above this many DP cells the word diff falls back to a line diff, then to replace. */
const MAX_CELLS = 4_000_000;

/**
 * Split into words, single punctuation marks, whitespace runs and line breaks;
 * joining the tokens gives the text back.
 */
export function tokenize(text: string): string[] {
  return text.match(/\n|[^\S\n]+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
}

/** Longest-common-subsequence diff of two token lists, merged into runs. */
export function diffTokens(a: readonly string[], b: readonly string[]): TextOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: TextOp[] = [];
  const push = (op: TextOp["op"], text: string): void => {
    if (text === "") return;
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.text += text;
    else ops.push({ op, text });
  };
  push("equal", a.slice(0, start).join(""));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    push("delete", midA.join(""));
    push("insert", midB.join(""));
  } else {
    // lcs[i][j] = LCS length of midA[i:], midB[j:], stored row-major.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] =
          midA[i] === midB[j]
            ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        push("equal", midA[i] ?? "");
        i++;
        j++;
      } else if (i < n && (j >= m || (lcs[(i + 1) * w + j] ?? 0) >= (lcs[i * w + j + 1] ?? 0))) {
        // Deletions before insertions on ties, so a replaced word reads "old -> new".
        push("delete", midA[i] ?? "");
        i++;
      } else {
        push("insert", midB[j] ?? "");
        j++;
      }
    }
  }
  push("equal", a.slice(endA).join(""));
  return ops;
}

/** Word diff of two strings; very long texts are diffed by line instead. */
export function diffText(before: string, after: string): TextOp[] {
  const a = tokenize(before);
  const b = tokenize(after);
  if ((a.length + 1) * (b.length + 1) <= MAX_CELLS) return diffTokens(a, b);
  const lines = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return diffTokens(lines(before), lines(after));
}

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
export function canonical(value: JsonValue | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
}

/** Items of `after` not in `before` and vice versa, as multisets of canonical JSON. */
export function diffList(
  before: JsonValue[],
  after: JsonValue[],
): Omit<Extract<FieldDiff, { kind: "list" }>, "kind" | "key"> {
  const remaining = new Map<string, number>();
  for (const item of before) {
    const k = canonical(item);
    remaining.set(k, (remaining.get(k) ?? 0) + 1);
  }
  const added: JsonValue[] = [];
  let kept = 0;
  for (const item of after) {
    const k = canonical(item);
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      kept++;
    } else {
      added.push(item);
    }
  }
  const removed: JsonValue[] = [];
  for (const item of before) {
    const k = canonical(item);
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      removed.push(item);
    }
  }
  return { added, removed, kept };
}

function diffField(
  key: string,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): FieldDiff {
  if (before !== undefined && after !== undefined && canonical(before) === canonical(after)) {
    return { kind: "same", key, value: after };
  }
  if (typeof before === "string" && typeof after === "string") {
    return { kind: "text", key, ops: diffText(before, after) };
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return { kind: "list", key, ...diffList(before, after) };
  }
  return { kind: "value", key, before, after };
}

const isRecord = (v: JsonValue | undefined): v is { [key: string]: JsonValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Diff two variable values. Objects are compared key by key (keys of `before`
 * first, then new keys of `after`); any other pair gives one field with key "".
 */
export function diffJson(before: JsonValue, after: JsonValue): FieldDiff[] {
  if (!isRecord(before) || !isRecord(after)) return [diffField("", before, after)];
  const keys = [...Object.keys(before)];
  for (const k of Object.keys(after)) if (!(k in before)) keys.push(k);
  return keys.map((k) => diffField(k, before[k], after[k]));
}

/** True when a diff shows no change at all. */
export const isUnchanged = (diff: readonly FieldDiff[]): boolean =>
  diff.every((d) => d.kind === "same");
