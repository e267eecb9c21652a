import { describe, expect, test } from "bun:test";
import {
  addDuration,
  type Duration,
  DurationError,
  durationSeconds,
  parseDuration,
} from "../../src/util/duration.ts";

const HINT = "use a number followed by s, m, min, h, d, w or mo (e.g. 30d)";

function parse(text: string): Duration {
  const duration = parseDuration(text);
  if (!duration) throw new Error(`expected "${text}" to be set`);
  return duration;
}

describe("parseDuration", () => {
  test.each([
    ["30s", { amount: 30, unit: "s" }],
    ["30m", { amount: 30, unit: "m" }],
    ["30min", { amount: 30, unit: "m" }],
    ["30h", { amount: 30, unit: "h" }],
    ["30d", { amount: 30, unit: "d" }],
    ["2w", { amount: 2, unit: "w" }],
    ["1mo", { amount: 1, unit: "mo" }],
    ["12mo", { amount: 12, unit: "mo" }],
    ["  7d\n", { amount: 7, unit: "d" }],
    ["007d", { amount: 7, unit: "d" }],
  ] as const)("accepts %p", (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  test.each(["", "   ", "none", "null"])("treats %p as unset", (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  test.each([
    "3x",
    "30",
    "d",
    "30D",
    "1MO",
    "None",
    "30 d",
    "30dd",
    "1.5d",
    "-1d",
    "+1d",
    "1e3s",
    "1y",
    "30days",
    "0x10s",
  ])("rejects %p, naming it and the accepted forms", (text) => {
    expect(() => parseDuration(text)).toThrow(new DurationError(text));
    expect(() => parseDuration(text)).toThrow(`invalid duration "${text}": ${HINT}`);
  });

  test("the error message matches the documented wording", () => {
    expect(() => parseDuration("3x")).toThrow(
      'invalid duration "3x": use a number followed by s, m, min, h, d, w or mo (e.g. 30d)',
    );
  });

  test("DurationError is an Error with its own name", () => {
    const error = new DurationError("3x");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("DurationError");
  });

  test.each(["0s", "0d", "0mo", "000h"])("rejects the zero duration %p", (text) => {
    expect(() => parseDuration(text)).toThrow(
      `invalid duration "${text}": it must be longer than zero; ${HINT}`,
    );
  });

  test("accepts exactly 100 years", () => {
    expect(parseDuration("36525d")).toEqual({ amount: 36_525, unit: "d" });
    expect(parseDuration("1200mo")).toEqual({ amount: 1_200, unit: "mo" });
  });

  test.each(["36526d", "5218w", "1218mo", "99999999999999999999999s", `${"9".repeat(400)}d`])(
    "rejects %p as longer than 100 years",
    (text) => {
      expect(() => parseDuration(text)).toThrow(
        `invalid duration "${text}": it must not be longer than 100 years; ${HINT}`,
      );
    },
  );
});

describe("durationSeconds", () => {
  test.each([
    [{ amount: 30, unit: "s" }, 30],
    [{ amount: 2, unit: "m" }, 120],
    [{ amount: 3, unit: "h" }, 10_800],
    [{ amount: 2, unit: "d" }, 172_800],
    [{ amount: 1, unit: "w" }, 604_800],
    [{ amount: 1, unit: "mo" }, 2_592_000],
  ] satisfies [Duration, number][])("%p lasts %p seconds", (duration, seconds) => {
    expect(durationSeconds(duration)).toBe(seconds);
  });

  test("orders durations by length", () => {
    const texts = ["1mo", "2w", "721h", "1d", "90min"];
    const sorted = texts.toSorted((a, b) => durationSeconds(parse(a)) - durationSeconds(parse(b)));
    expect(sorted).toEqual(["90min", "1d", "2w", "1mo", "721h"]);
  });

  test("a month is as long as 30 days, a week as 7 days", () => {
    expect(durationSeconds(parse("1mo"))).toBe(durationSeconds(parse("30d")));
    expect(durationSeconds(parse("1w"))).toBe(durationSeconds(parse("7d")));
    expect(durationSeconds(parse("30min"))).toBe(durationSeconds(parse("30m")));
  });
});

describe("addDuration", () => {
  const at = (iso: string) => new Date(iso);

  test.each([
    ["30s", "2024-03-10T10:00:00.250Z", "2024-03-10T10:00:30.250Z"],
    ["90min", "2024-03-10T23:00:00Z", "2024-03-11T00:30:00Z"],
    ["5h", "2024-03-10T22:00:00Z", "2024-03-11T03:00:00Z"],
    ["1d", "2024-03-10T15:43:00Z", "2024-03-11T15:43:00Z"],
    ["2w", "2024-12-25T08:00:00Z", "2025-01-08T08:00:00Z"],
  ])("%p from %p is exactly %p", (text, from, expected) => {
    expect(addDuration(at(from), parse(text)).toISOString()).toBe(
      at(expected).toISOString(),
    );
  });

  test.each([
    ["1mo", "2024-03-15T09:30:00Z", "2024-04-15T09:30:00.000Z"],
    ["1mo", "2024-12-15T00:00:00Z", "2025-01-15T00:00:00.000Z"],
    ["13mo", "2024-12-15T00:00:00Z", "2026-01-15T00:00:00.000Z"],
    ["1mo", "2023-01-31T12:00:00Z", "2023-02-28T12:00:00.000Z"],
    ["1mo", "2024-01-31T12:00:00Z", "2024-02-29T12:00:00.000Z"],
    ["1mo", "2024-03-31T12:00:00Z", "2024-04-30T12:00:00.000Z"],
    ["2mo", "2023-12-31T23:59:59.999Z", "2024-02-29T23:59:59.999Z"],
    ["12mo", "2024-02-29T06:00:00Z", "2025-02-28T06:00:00.000Z"],
  ])("%p from %p adds calendar months, clamping the day: %p", (text, from, expected) => {
    expect(addDuration(at(from), parse(text)).toISOString()).toBe(expected);
  });

  test("does not modify its argument", () => {
    const from = at("2024-01-31T12:00:00Z");
    addDuration(from, { amount: 1, unit: "mo" });
    expect(from.toISOString()).toBe("2024-01-31T12:00:00.000Z");
  });
});
