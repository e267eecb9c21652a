import type { Duration } from "../util/duration.ts";

const SECOND = 1000;
const DAY_SECONDS = 86_400;
const DAY = DAY_SECONDS * SECOND;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600 } as const;

/**
 * When a `budget_duration` window that is running at `now` ends, aligned to calendar
 * boundaries of the local clock in `timeZone` (IANA name, e.g. `litellm_settings.timezone`).
 * The result is always strictly after `now`, so a reset exactly on a boundary arms the next one.
 *
 * - `Ns`, `Nm`, `Nh`: the next multiple of N seconds / minutes / hours counted from local
 *   midnight (`15m` at 10:07 → 10:15; `6h` at 13:00 → 18:00; `7m` at 23:58 → next midnight,
 *   because the multiples restart every day). A step of a day or more (`24h`, `2880m`) is
 *   treated like days: today's local midnight + the step.
 * - `1d`: next local midnight.
 * - `7d`, `1w`: next Monday 00:00 local.
 * - `30d`, `1mo`: the 1st of next month 00:00 local; `Nmo`: the 1st of the month N months ahead.
 * - any other `Nd` (and `Nw` as N×7 days): today's local midnight + N days.
 *
 * Local times are wall-clock times: across a DST change "midnight + 2 days" is still midnight.
 * A wall time skipped by a DST gap resolves to the same moment one hour later on the clock
 * (02:00 on the spring-forward night in New York is 03:00 EDT); a repeated one resolves to
 * its earliest occurrence after `now`. Throws RangeError for an unknown time zone.
 */
export function nextBudgetResetAt(d: Duration, now: Date, timeZone = "UTC"): Date {
  const wall = now.getTime() + offsetAt(now.getTime(), timeZone);
  const midnight = Math.floor(wall / DAY) * DAY;
  return new Date(wallToInstant(nextWallBoundary(d, wall, midnight), now.getTime(), timeZone));
}

/** The next boundary in "wall time": local clock readings encoded as if they were UTC. */
function nextWallBoundary(d: Duration, wall: number, midnight: number): number {
  switch (d.unit) {
    case "s":
    case "m":
    case "h": {
      const step = d.amount * UNIT_SECONDS[d.unit];
      if (step >= DAY_SECONDS) return midnight + step * SECOND;
      const sinceMidnight = Math.floor((wall - midnight) / SECOND);
      const next = (Math.floor(sinceMidnight / step) + 1) * step;
      return midnight + Math.min(next, DAY_SECONDS) * SECOND;
    }
    case "d":
      if (d.amount === 1) return midnight + DAY;
      if (d.amount === 7) return nextMonday(midnight);
      if (d.amount === 30) return firstOfMonth(midnight, 1);
      return midnight + d.amount * DAY;
    case "w":
      return d.amount === 1 ? nextMonday(midnight) : midnight + d.amount * 7 * DAY;
    case "mo":
      return firstOfMonth(midnight, d.amount);
  }
}

function nextMonday(midnight: number): number {
  const weekday = new Date(midnight).getUTCDay(); // 0 = Sunday, 1 = Monday
  const days = (8 - weekday) % 7 || 7; // on a Monday, the next one is a week away
  return midnight + days * DAY;
}

function firstOfMonth(midnight: number, monthsAhead: number): number {
  const date = new Date(midnight);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsAhead, 1);
}

/**
 * The instant at which the clock in `timeZone` reads `wall`, choosing the earliest such
 * instant after `after` when the reading occurs twice (DST fall-back).
 */
function wallToInstant(wall: number, after: number, timeZone: string): number {
  // Zones change offset at most once within a day, so the offsets a day either side cover
  // every reading the clock can show at `wall`.
  const before = offsetAt(wall - DAY, timeZone);
  const later = offsetAt(wall + DAY, timeZone);
  const candidates = [wall - before, wall - later]
    .filter((instant) => instant + offsetAt(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  const first = candidates.find((instant) => instant > after) ?? candidates[0];
  // No candidate: the reading falls in a DST gap; reading it with the pre-gap offset lands
  // the same distance past the gap.
  return first ?? wall - before;
}

// Building a DateTimeFormat is costly and its result depends only on the zone name.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Milliseconds to add to a UTC instant to get the wall-clock reading in `timeZone`. */
function offsetAt(instant: number, timeZone: string): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  // The formatter drops milliseconds, so compare against the instant truncated to the second.
  return wall - Math.floor(instant / SECOND) * SECOND;
}
