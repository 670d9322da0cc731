/**
 * The message fixtures Python is checked on too (`tests/fixtures/contract/*.json`,
 * `tests/notebook/test_contract.py`): every message Python may send passes the view's check
 * unchanged, every malformed one is refused, and the view builds exactly the messages
 * Python accepts.
 */
import { describe, expect, it } from "vitest";
import backend from "../tests/fixtures/contract/backend.json";
import frontend from "../tests/fixtures/contract/frontend.json";
import {
  acceptAll,
  decision,
  editVariable,
  hello,
  type JsonValue,
  ProtocolError,
  parseBackendMessage,
  pong,
  revert,
  stop,
} from "./protocol";

// biome-ignore lint/suspicious/noExplicitAny: the builders' arguments come from JSON
const BUILDERS: Record<string, (...args: any[]) => unknown> = {
  acceptAll,
  decision,
  editVariable,
  hello,
  pong,
  revert,
  stop,
};

const build = (call: JsonValue[]): unknown => {
  const [name, ...args] = call;
  const builder = BUILDERS[String(name)];
  if (!builder) throw new Error(`no builder named ${String(name)}`);
  return builder(...args);
};

describe("messages from Python (shared fixtures)", () => {
  it.each(backend.valid.map((c) => [c.name, c.message] as const))("accepts %s", (_, message) => {
    expect(parseBackendMessage(message)).toEqual(message);
  });

  it.each(backend.invalid.map((c) => [c.name, c.message] as const))("refuses %s", (_, message) => {
    expect(() => parseBackendMessage(message)).toThrow(ProtocolError);
  });
});

describe("messages to Python (shared fixtures)", () => {
  it.each(frontend.valid.map((c) => [c.name, c.message, c.build] as const))(
    "builds %s as Python expects it",
    (_, message, call) => {
      expect(build(call as JsonValue[])).toEqual(message);
    },
  );

  const refusedByBuilders = frontend.invalid.flatMap((c) =>
    "build" in c && c.build ? [[c.name, c.build] as const] : [],
  );
  it.each(refusedByBuilders)("refuses to build %s", (_, call) => {
    expect(() => build(call as JsonValue[])).toThrow(ProtocolError);
  });
});
