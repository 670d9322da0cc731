/**
 * Validate a value against one definition of the generated protocol schema
 * (`generated/contract.ts`, made from Python's models): the one check every message from
 * Python goes through, instead of a hand-written parser per type.
 *
 * Missing required fields that have a default get it (a view reading an older snapshot
 * still works), missing optional ones stay absent; unknown fields are dropped; anything else that does not match throws a
 * `ProtocolError` saying where, what was expected and what was received.
 */

import { type JsonValue, SCHEMA, type SchemaNode } from "./generated/contract";

/** A message that does not have the shape the protocol promises. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function fail(where: string, expected: string, got: unknown): never {
  throw new ProtocolError(`Expected "${where}" to be ${expected}. Received: ${shown(got)}`);
}

const node = (v: JsonValue | undefined): SchemaNode => (isObj(v) ? (v as SchemaNode) : {});

function defOf(ref: JsonValue | undefined): SchemaNode {
  const name = String(ref).split("/").pop() ?? "";
  const found = SCHEMA[name];
  if (!found) throw new ProtocolError(`Expected a definition named ${name} in the schema`);
  return found;
}

const TYPES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  null: "null",
  array: "a list",
  object: "an object",
};

/** What a schema node expects, in words ("a number or null", "one of a, b"). */
function describe(s: SchemaNode): string {
  if (s.$ref !== undefined) return describe(defOf(s.$ref));
  if (s.const !== undefined) return shown(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(", ")}`;
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) return union.map((u) => describe(node(u))).join(" or ");
  return TYPES[String(s.type)] ?? "any JSON value";
}

function scalarOk(type: JsonValue | undefined, v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    default:
      return true;
  }
}

function checkObject(s: SchemaNode, v: unknown, where: string): Obj {
  if (!isObj(v)) fail(where, "an object", v);
  const props = node(s.properties);
  if (Object.keys(props).length === 0) {
    const each = node(s.additionalProperties);
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, checkNode(each, x, `${where}.${k}`)]),
    );
  }
  const required = Array.isArray(s.required) ? s.required : [];
  const out: Obj = {};
  for (const [key, sub] of Object.entries(props)) {
    const prop = node(sub);
    if (v[key] === undefined) {
      // An optional field stays absent; a required one with a default gets it.
      if (!required.includes(key)) continue;
      if (prop.default === undefined) fail(`${where}.${key}`, describe(prop), undefined);
      out[key] = structuredClone(prop.default);
      continue;
    }
    out[key] = checkNode(prop, v[key], `${where}.${key}`);
  }
  return out;
}

function checkUnion(s: SchemaNode, options: JsonValue[], v: unknown, where: string): unknown {
  const byType = node(s.discriminator).propertyName;
  if (byType !== undefined) {
    const key = String(byType);
    const tag = isObj(v) ? v[key] : undefined;
    if (!isObj(v)) fail(where, "an object", v);
    const match = options.find(
      (o) => node(node(defOf(node(o).$ref).properties)[key]).const === tag,
    );
    if (!match) {
      const tags = options.map((o) => node(node(defOf(node(o).$ref).properties)[key]).const);
      fail(`${where}.${key}`, `one of ${tags.join(", ")}`, tag);
    }
    return checkNode(node(match), v, String(tag));
  }
  for (const option of options) {
    try {
      return checkNode(node(option), v, where);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
    }
  }
  // "X or null" and not null: say what X expected, deep down where it failed.
  const nonNull = options.map(node).filter((o) => o.type !== "null");
  if (v !== null && nonNull.length === 1 && nonNull[0]) return checkNode(nonNull[0], v, where);
  return fail(where, describe(s), v);
}

/** Check `v` against schema node `s`; returns it with defaults filled in. */
export function checkNode(s: SchemaNode, v: unknown, where: string): unknown {
  if (s.$ref !== undefined) return checkNode(defOf(s.$ref), v, where);
  if (s.const !== undefined) return v === s.const ? v : fail(where, shown(s.const), v);
  if (Array.isArray(s.enum)) {
    return s.enum.includes(v as JsonValue) ? v : fail(where, describe(s), v);
  }
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) return checkUnion(s, union, v, where);
  if (s.type === "array") {
    if (!Array.isArray(v)) fail(where, "a list", v);
    return v.map((x, i) => checkNode(node(s.items), x, `${where}[${i}]`));
  }
  if (s.type === "object") return checkObject(s, v, where);
  if (s.type === undefined) {
    return v === undefined ? fail(where, "any JSON value", v) : v;
  }
  return scalarOk(s.type, v) ? v : fail(where, describe(s), v);
}

/** Check `value` against the definition `name` (`"Proposal"`, `"BackendMessage"`...). */
export function check<T>(name: string, value: unknown, where: string): T {
  return checkNode(defOf(name), value, where) as T;
}
