import { describe, expect, test } from "bun:test";
import { nextBudgetResetAt } from "../../src/spend/budget-reset.ts";
import { type Duration, parseDuration } from "../../src/util/duration.ts";

function parse(text: string): Duration {
  const duration = parseDuration(text);
  if (!duration) throw new Error(`expected "${text}" to be set`);
  return duration;
}

/** The reset time for `budget_duration` text at an ISO instant, as an ISO string. */
function resetAt(text: string, now: string, timeZone?: string): string {
  return nextBudgetResetAt(parse(text), new Date(now), timeZone).toISOString();
}

describe("nextBudgetResetAt in UTC (the default)", () => {
  test.each([
    ["30s", "2024-05-15T10:00:29.000Z", "2024-05-15T10:00:30.000Z"],
    ["45s", "2024-05-15T00:00:50.000Z", "2024-05-15T00:01:30.000Z"],
    ["15m", "2024-05-15T10:07:30.000Z", "2024-05-15T10:15:00.000Z"],
    ["15min", "2024-05-15T10:07:30.000Z", "2024-05-15T10:15:00.000Z"],
    ["7m", "2024-05-15T10:57:42.000Z", "2024-05-15T10:58:00.000Z"],
    ["90m", "2024-05-15T01:00:00.000Z", "2024-05-15T01:30:00.000Z"],
    ["1h", "2024-05-15T10:07:00.000Z", "2024-05-15T11:00:00.000Z"],
    ["6h", "2024-05-15T13:00:00.000Z", "2024-05-15T18:00:00.000Z"],
  ])("%p at %p aligns to the clock: %p", (text, now, expected) => {
    expect(resetAt(text, now)).toBe(expected);
  });

  test.each([
    ["30s", "2024-05-15T10:00:30.000Z", "2024-05-15T10:01:00.000Z"],
    ["15m", "2024-05-15T10:15:00.000Z", "2024-05-15T10:30:00.000Z"],
    ["7m", "2024-05-15T10:58:00.000Z", "2024-05-15T11:05:00.000Z"],
    ["6h", "2024-05-15T18:00:00.000Z", "2024-05-16T00:00:00.000Z"],
    ["1d", "2024-05-15T00:00:00.000Z", "2024-05-16T00:00:00.000Z"],
    ["1w", "2024-05-20T00:00:00.000Z", "2024-05-27T00:00:00.000Z"],
    ["1mo", "2024-06-01T00:00:00.000Z", "2024-07-01T00:00:00.000Z"],
  ])("%p exactly on a boundary %p moves to the next one: %p", (text, now, expected) => {
    expect(resetAt(text, now)).toBe(expected);
  });

  test.each([
    ["15m", "2024-05-15T10:14:59.999Z", "2024-05-15T10:15:00.000Z"],
    ["15m", "2024-05-15T10:15:00.001Z", "2024-05-15T10:30:00.000Z"],
    ["1d", "2024-05-15T23:59:59.999Z", "2024-05-16T00:00:00.000Z"],
  ])("%p just around a boundary (%p) resets at %p", (text, now, expected) => {
    expect(resetAt(text, now)).toBe(expected);
  });

  test.each([
    ["7m", "2024-05-15T23:58:00.000Z"],
    ["5h", "2024-05-15T21:00:00.000Z"],
    ["6h", "2024-05-15T23:00:00.000Z"],
    ["40s", "2024-05-15T23:59:50.000Z"],
  ])("%p restarts its multiples at midnight (%p)", (text, now) => {
    expect(resetAt(text, now)).toBe("2024-05-16T00:00:00.000Z");
  });

  test.each([
    ["24h", "2024-05-15T13:00:00.000Z", "2024-05-16T00:00:00.000Z"],
    ["48h", "2024-05-15T13:00:00.000Z", "2024-05-17T00:00:00.000Z"],
    ["2880m", "2024-05-15T13:00:00.000Z", "2024-05-17T00:00:00.000Z"],
  ])("%p (a day or more) counts days from today's midnight: %p → %p", (text, now, expected) => {
    expect(resetAt(text, now)).toBe(expected);
  });

  test("1d resets at the next midnight", () => {
    expect(resetAt("1d", "2024-05-15T15:43:00.000Z")).toBe("2024-05-16T00:00:00.000Z");
  });

  test.each([
    ["7d", "2024-05-15T10:00:00.000Z", "2024-05-20T00:00:00.000Z"], // Wednesday
    ["1w", "2024-05-15T10:00:00.000Z", "2024-05-20T00:00:00.000Z"],
    ["1w", "2024-05-19T23:59:59.000Z", "2024-05-20T00:00:00.000Z"], // Sunday
    ["7d", "2024-05-20T10:00:00.000Z", "2024-05-27T00:00:00.000Z"], // Monday
    ["1w", "2024-12-31T10:00:00.000Z", "2025-01-06T00:00:00.000Z"],
  ])("%p at %p resets next Monday: %p", (text, now, expected) => {
    expect(resetAt(text, now)).toBe(expected);
  });

  test.each([
    ["30d", "2024-05-15T10:00:00.000Z", "2024-06-01T00:00:00.000Z"],
    ["1mo", "2024-05-15T10:00:00.000Z", "2024-06-01T00:00:00.000Z"],
    ["1mo", "2024-01-31T23:59:59.000Z", "2024-02-01T00:00:00.000Z"],
    ["1mo", "2024-12-31T23:59:00.000Z", "2025-01-01T00:00:00.000Z"],
    ["2mo", "2024-11-15T10:00:00.000Z", "2025-01-01T00:00:00.000Z"],
    ["3mo", "2024-05-15T10:00:00.000Z", "2024-08-01T00:00:00.000Z"],
    ["12mo", "2024-05-15T10:00:00.000Z", "2025-05-01T00:00:00.000Z"],
  ])("%p at %p resets on the 1st of a month: %p", (text, now, expected) => {
    expect(resetAt(text, now)).toBe(expected);
  });

  test.each([
    ["2d", "2024-05-15T10:00:00.000Z", "2024-05-17T00:00:00.000Z"],
    ["14d", "2024-05-15T10:00:00.000Z", "2024-05-29T00:00:00.000Z"],
    ["31d", "2024-05-15T10:00:00.000Z", "2024-06-15T00:00:00.000Z"],
    ["2w", "2024-05-15T10:00:00.000Z", "2024-05-29T00:00:00.000Z"],
    ["2d", "2024-05-15T00:00:00.000Z", "2024-05-17T00:00:00.000Z"],
  ])("%p at %p resets at today's midnight + N days: %p", (text, now, expected) => {
    expect(resetAt(text, now)).toBe(expected);
  });

  test("an explicit UTC zone gives the same answers", () => {
    expect(resetAt("1mo", "2024-05-15T10:00:00.000Z", "UTC")).toBe("2024-06-01T00:00:00.000Z");
  });

  test("an unknown time zone is refused", () => {
    expect(() => resetAt("1d", "2024-05-15T10:00:00.000Z", "Mars/Olympus_Mons")).toThrow(
      RangeError,
    );
  });
});

describe("nextBudgetResetAt in Asia/Kolkata (UTC+05:30)", () => {
  const zone = "Asia/Kolkata";

  test.each([
    // 01:30 IST on the 16th → midnight IST starting the 17th
    ["1d", "2024-05-15T20:00:00.000Z", "2024-05-16T18:30:00.000Z"],
    // 15:37 IST → 16:00 IST
    ["1h", "2024-05-15T10:07:00.000Z", "2024-05-15T10:30:00.000Z"],
    // 15:37 IST → 15:45 IST
    ["15m", "2024-05-15T10:07:00.000Z", "2024-05-15T10:15:00.000Z"],
    // 00:30 IST on June 1st, still May 31st in UTC → July 1st IST
    ["1mo", "2024-05-31T19:00:00.000Z", "2024-06-30T18:30:00.000Z"],
    // 00:30 IST on Monday May 20th, still Sunday in UTC → the following Monday
    ["1w", "2024-05-19T19:00:00.000Z", "2024-05-26T18:30:00.000Z"],
    // 10:00 IST → midnight IST + 2 days
    ["2d", "2024-05-15T04:30:00.000Z", "2024-05-16T18:30:00.000Z"],
  ])("%p at %p resets at %p", (text, now, expected) => {
    expect(resetAt(text, now, zone)).toBe(expected);
  });

  test("a local midnight is itself a boundary", () => {
    expect(resetAt("1d", "2024-05-15T18:30:00.000Z", zone)).toBe("2024-05-16T18:30:00.000Z");
  });
});

describe("nextBudgetResetAt in America/New_York across DST", () => {
  const zone = "America/New_York";

  describe("spring forward (2024-03-10, 02:00 EST → 03:00 EDT)", () => {
    test.each([
      // Saturday noon EST → Sunday midnight, still EST (UTC-5)
      ["1d", "2024-03-09T17:00:00.000Z", "2024-03-10T05:00:00.000Z"],
      // Sunday noon EDT → Monday midnight EDT (UTC-4), only 23 hours after Sunday midnight
      ["1d", "2024-03-10T16:00:00.000Z", "2024-03-11T04:00:00.000Z"],
      // 02:00 never happens that night: the reset lands at 03:00 EDT, when the gap ends
      ["1h", "2024-03-10T06:30:00.000Z", "2024-03-10T07:00:00.000Z"],
      ["1h", "2024-03-10T07:00:00.000Z", "2024-03-10T08:00:00.000Z"],
      // midnight + 2 days on the wall clock, though only 47 hours pass
      ["2d", "2024-03-09T15:00:00.000Z", "2024-03-11T04:00:00.000Z"],
      // Wednesday in EST → Monday midnight in EDT
      ["1w", "2024-03-06T17:00:00.000Z", "2024-03-11T04:00:00.000Z"],
      ["1mo", "2024-02-15T17:00:00.000Z", "2024-03-01T05:00:00.000Z"],
      ["1mo", "2024-03-15T16:00:00.000Z", "2024-04-01T04:00:00.000Z"],
    ])("%p at %p resets at %p", (text, now, expected) => {
      expect(resetAt(text, now, zone)).toBe(expected);
    });
  });

  describe("fall back (2024-11-03, 02:00 EDT → 01:00 EST)", () => {
    test.each([
      // Saturday noon EDT → Sunday midnight EDT (UTC-4)
      ["1d", "2024-11-02T16:00:00.000Z", "2024-11-03T04:00:00.000Z"],
      // Sunday noon EST → Monday midnight EST (UTC-5), 25 hours after Sunday midnight
      ["1d", "2024-11-03T17:00:00.000Z", "2024-11-04T05:00:00.000Z"],
      // 00:30 EDT → the first 01:00
      ["1h", "2024-11-03T04:30:00.000Z", "2024-11-03T05:00:00.000Z"],
      // 01:10 EDT → 01:15 EDT, the first of the two 01:15s
      ["15m", "2024-11-03T05:10:00.000Z", "2024-11-03T05:15:00.000Z"],
      // 01:10 EST, the repeated hour → 01:15 EST, not the 01:15 EDT already past
      ["15m", "2024-11-03T06:10:00.000Z", "2024-11-03T06:15:00.000Z"],
      // 01:30 EST → 02:00 EST
      ["1h", "2024-11-03T06:30:00.000Z", "2024-11-03T07:00:00.000Z"],
      ["1mo", "2024-10-15T16:00:00.000Z", "2024-11-01T04:00:00.000Z"],
      ["1mo", "2024-11-15T17:00:00.000Z", "2024-12-01T05:00:00.000Z"],
    ])("%p at %p resets at %p", (text, now, expected) => {
      expect(resetAt(text, now, zone)).toBe(expected);
    });
  });
});

describe("nextBudgetResetAt where a DST gap swallows midnight (America/Santiago)", () => {
  test("1d resets when the day actually starts, at 01:00 local", () => {
    // 2024-09-08: clocks jump from Saturday 24:00 (UTC-4) straight to Sunday 01:00 (UTC-3)
    expect(resetAt("1d", "2024-09-07T16:00:00.000Z", "America/Santiago")).toBe(
      "2024-09-08T04:00:00.000Z",
    );
  });
});

describe("nextBudgetResetAt is always strictly after now", () => {
  const texts = ["1s", "7s", "1m", "7m", "15m", "1h", "5h", "1d", "2d", "7d", "1w", "2w", "1mo"];
  const zones = ["UTC", "Asia/Kolkata", "America/New_York", "Australia/Lord_Howe"];
  // Every 37 minutes across both 2024 New York DST switches.
  const instants = [Date.UTC(2024, 2, 9), Date.UTC(2024, 10, 2)].flatMap((start) =>
    Array.from({ length: 200 }, (_, i) => new Date(start + i * 37 * 60_000)),
  );

  test.each(zones)("in %p", (zone) => {
    for (const text of texts) {
      const duration = parse(text);
      for (const now of instants) {
        const next = nextBudgetResetAt(duration, now, zone);
        if (next.getTime() <= now.getTime()) {
          throw new Error(`${text} at ${now.toISOString()} in ${zone} gave ${next.toISOString()}`);
        }
      }
    }
  });
});
