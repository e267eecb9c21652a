/**
 * LiteLLM-style durations (`budget_duration`, key `duration`, retention periods):
 * a positive whole number followed by a unit, e.g. `30s`, `15m`, `15min`, `6h`, `30d`, `2w`, `1mo`.
 */

export type Duration = { amount: number; unit: "s" | "m" | "h" | "d" | "w" | "mo" };

/** Thrown for a duration string that is neither valid nor one of LiteLLM's "unset" spellings. */
export class DurationError extends Error {
  constructor(text: string, reason?: string) {
    const hint = "use a number followed by s, m, min, h, d, w or mo (e.g. 30d)";
    super(`invalid duration "${text}": ${reason ? `${reason}; ` : ""}${hint}`);
    this.name = "DurationError";
  }
}

const SECONDS: Record<Duration["unit"], number> = {
  s: 1,
  m: 60,
  h: 3_600,
  d: 86_400,
  w: 7 * 86_400,
  // A month counts as 30 days when comparing lengths; calendar months only matter in addDuration.
  mo: 30 * 86_400,
};

/**
 * Longest duration accepted: 100 years (of 365.25 days). Anything longer is almost certainly a
 * typo, and bounding it keeps expiry and reset dates far inside the range `Date` can represent.
 */
const MAX_SECONDS = 36_525 * 86_400;

/** LiteLLM treats these strings as "no duration set". */
const UNSET = new Set(["", "none", "null"]);

const UNITS: Record<string, Duration["unit"]> = {
  s: "s",
  m: "m",
  min: "m",
  h: "h",
  d: "d",
  w: "w",
  mo: "mo",
};

// Anchored at both ends: LiteLLM's unanchored re.match reads `30days` or `3dx` as `30d`/`3d`,
// silently accepting typos.
const PATTERN = /^(\d+)(mo|min|s|m|h|d|w)$/;

/**
 * Parses a duration string. Returns null for LiteLLM's "unset" strings (`""`, `"none"`,
 * `"null"`), throws DurationError for anything else that is not a valid duration.
 * Units are case-sensitive, as in LiteLLM; `min` is accepted as a synonym of `m`.
 */
export function parseDuration(text: string): Duration | null {
  const trimmed = text.trim();
  if (UNSET.has(trimmed)) return null;
  const match = PATTERN.exec(trimmed);
  const digits = match?.[1];
  const unit = UNITS[match?.[2] ?? ""];
  if (digits === undefined || unit === undefined) throw new DurationError(text);
  const amount = Number(digits);
  if (amount === 0) throw new DurationError(text, "it must be longer than zero");
  const duration = { amount, unit };
  if (durationSeconds(duration) > MAX_SECONDS) {
    throw new DurationError(text, "it must not be longer than 100 years");
  }
  return duration;
}

/** Length in seconds, with `w` = 7 days and `mo` = 30 days; meant for comparing durations. */
export function durationSeconds(d: Duration): number {
  return d.amount * SECONDS[d.unit];
}

/**
 * Exact (unaligned) end of a duration starting at `from`, as used for key expiry.
 * `s`…`w` add elapsed time; `mo` adds calendar months in UTC, clamping the day to the
 * target month's length (Jan 31 + 1mo = Feb 28, or Feb 29 in a leap year).
 */
export function addDuration(from: Date, d: Duration): Date {
  if (d.unit !== "mo") return new Date(from.getTime() + durationSeconds(d) * 1000);
  const result = new Date(from.getTime());
  const day = from.getUTCDate();
  // Step via the 1st so setUTCMonth cannot overflow into the month after (Jan 31 -> Mar 3).
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + d.amount);
  result.setUTCDate(Math.min(day, daysInUtcMonth(result)));
  return result;
}

function daysInUtcMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}
