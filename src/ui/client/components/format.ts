/** How numbers, money and dates read on every page. */

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toPrecision(2)}`;
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toLocaleString("en-US");
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function isPast(value: string | null | undefined): boolean {
  return !!value && new Date(value).getTime() < Date.now();
}

/** "gpt-4o, claude-3" or a word for an empty list (LiteLLM: empty means every model). */
export function list(values: readonly string[] | null | undefined, empty = "all"): string {
  return values && values.length > 0 ? values.join(", ") : empty;
}

export function limits(row: { rpm_limit?: number | null; tpm_limit?: number | null; max_parallel_requests?: number | null }): string {
  const parts = [
    row.rpm_limit != null ? `${count(row.rpm_limit)} rpm` : null,
    row.tpm_limit != null ? `${count(row.tpm_limit)} tpm` : null,
    row.max_parallel_requests != null ? `${count(row.max_parallel_requests)} parallel` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : "none";
}

/** yyyy-mm-dd of a date, in UTC, as the spend routes take it. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
