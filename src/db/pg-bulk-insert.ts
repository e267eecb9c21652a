/**
 * Fast multi-row INSERT for Postgres: one text-array parameter per column, expanded by
 * `unnest`, instead of one parameter per value. Building and binding a 2,000-row VALUES
 * list costs ~35 µs a row in drizzle; this sends thousands of rows per statement for
 * a fraction of that (see scripts/bench/ledger-flush.ts). Rows already present (same
 * primary key) are skipped.
 */
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import type { Db } from "./database.ts";

/** A Postgres array literal of text values (NULL for null/undefined). */
function pgTextArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)).join(",")}}`;
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Rows per statement: a chunk's unnest output fits in Postgres's default work_mem
 * (4 MB), so it is not spilled to a temporary file (2,000 measured best: 13.9k rows/s
 * against 10.2k for one statement of 100k rows, scripts/bench/ledger-flush.ts).
 */
const CHUNK_ROWS = 2_000;

export async function pgBulkInsertIgnoringConflicts(tx: Db, table: PgTable, rows: readonly Record<string, unknown>[]): Promise<void> {
  // Issued together: postgres.js pipelines them on the transaction's connection, so
  // Postgres inserts one chunk while the next one is being encoded here.
  const chunks: Promise<void>[] = [];
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) chunks.push(insertChunk(tx, table, rows.slice(start, start + CHUNK_ROWS)));
  await Promise.all(chunks);
}

async function insertChunk(tx: Db, table: PgTable, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const { name, columns } = getTableConfig(table);
  // Row objects are keyed by property name; for our tables property and column names are the same.
  const arrays = columns.map((c) => sql`${pgTextArray(rows.map((r) => toText(r[c.name] ?? (c.hasDefault ? c.default : null))))}::text[]`);
  // Each value is cast in the select list, row by row as it is inserted. Casting the
  // array parameters instead (`$1::text[]::jsonb[]`) let the planner fold the casts of
  // every element while planning: seconds for a big flush.
  const aliases = columns.map((_, i) => sql.raw(`c${i}`));
  const casts = columns.map((c, i) => sql`${aliases[i]}::${sql.raw(c.getSQLType())}`);
  await tx.execute(
    sql`insert into ${sql.identifier(name)} (${sql.join(
      columns.map((c) => sql.identifier(c.name)),
      sql`, `,
    )}) select ${sql.join(casts, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as u(${sql.join(aliases, sql`, `)}) on conflict do nothing`,
  );
}
