/**
 * Date parameters of the spend routes. Days are UTC calendar days (as LiteLLM's
 * `date_trunc('day', "startTime")` on a UTC database); an end date is inclusive: it
 * covers the whole day, up to midnight after it.
 */
import { ApiError, badRequest } from "../../errors.ts";

const DAY_MS = 86_400_000;

/** A range of whole UTC days: `from` inclusive, `to` exclusive (midnight after the end date). */
export interface DayRange {
  from: Date;
  to: Date;
}

/** `YYYY-MM-DD` of a date, in UTC. */
export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

/** Midnight UTC starting `value` (`YYYY-MM-DD`); 422 naming `param` when it is not a calendar day. */
export function parseDay(value: string, param: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : null;
  if (date === null || Number.isNaN(date.getTime()) || dayOf(date) !== value) {
    throw new ApiError("validation", `${param} must be a calendar day as YYYY-MM-DD, got ${JSON.stringify(value)}`, { param });
  }
  return date;
}

/**
 * The days from `start` to `end`, both included. Both or neither must be given (null
 * when neither is); `end` must not be before `start`, nor the range longer than `maxDays`.
 */
export function dayRange(start: string | undefined, end: string | undefined, maxDays = 3660): DayRange | null {
  if (start === undefined && end === undefined) return null;
  if (start === undefined || end === undefined) {
    throw badRequest("Please provide start_date and end_date together (YYYY-MM-DD).", start === undefined ? "start_date" : "end_date");
  }
  const from = parseDay(start, "start_date");
  const to = new Date(parseDay(end, "end_date").getTime() + DAY_MS);
  if (to <= from) throw badRequest(`end_date (${end}) is before start_date (${start}).`, "end_date");
  if ((to.getTime() - from.getTime()) / DAY_MS > maxDays) throw badRequest(`The date range is limited to ${maxDays} days.`, "end_date");
  return { from, to };
}

/** Every day of the range, as `YYYY-MM-DD`, in order. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let t = range.from.getTime(); t < range.to.getTime(); t += DAY_MS) days.push(dayOf(new Date(t)));
  return days;
}

/** The last `days` UTC days up to now, as LiteLLM's `CURRENT_DATE - INTERVAL '30 days'` views read them. */
export function lastDays(now: Date, days: number): { from: Date } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(today - days * DAY_MS) };
}
