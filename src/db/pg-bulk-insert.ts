/**
 * Fast multi-row INSERT for Postgres, for the ledger's spend-log rows (thousands per
 * flush). The rows are streamed with COPY, whose text format is what Postgres parses
 * fastest, straight into the table. COPY has no `on conflict`: should a row already be
 * there (a replayed flush; the ledger's checkpoint makes that all but impossible), the
 * COPY fails with a unique violation, is rolled back to a savepoint, and the rows go
 * through a session-local staging table and one `insert … on conflict do nothing`
 * instead. Rows are taken from their source as the COPY needs them, so a flush parses
 * its journal while Postgres inserts. 100,000 rows take about 3.5 s here by the direct
 * COPY, 5–6 s through the staging table, and 6–12 s as `unnest` of text-array
 * parameters (scripts/bench/ledger-flush.ts).
 */
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { Db } from "./database.ts";

/** Rows per write to the COPY stream. */
const COPY_CHUNK_ROWS = 2_000;
const UNIQUE_VIOLATION = "23505";
const NEEDS_ESCAPE = /[\\\t\n\r]/;

interface Field {
  name: string;
  /** What an absent property is written as: the column's default, else null. */
  fallback: unknown;
}

/** A value in COPY's text format: \N for null, backslash escapes for the separators. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") return String(value);
  const text = typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  // Most values need no escaping; testing first spares a replace per value.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : text;
}

/**
 * The postgres.js connection under a drizzle transaction. drizzle has no COPY; its
 * postgres-js session keeps the client it runs on as `session.client`.
 */
function clientOf(tx: Db): postgres.Sql {
  return (tx as unknown as { session: { client: postgres.Sql } }).session.client;
}

type Row = Record<string, unknown>;

export async function pgBulkInsertIgnoringConflicts(tx: Db, table: PgTable, rows: Iterable<Row>): Promise<void> {
  const source = replayable(rows);
  if (source.isEmpty()) return;
  const client = clientOf(tx);
  const { name, columns } = getTableConfig(table);
  const columnList = columns.map((c) => `"${c.name}"`).join(", ");
  // Row objects are keyed by property name; for our tables property and column names are the same.
  const fields = columns.map((c) => ({ name: c.name, fallback: c.hasDefault ? c.default : null }));

  await client.unsafe("savepoint bulk_insert");
  try {
    await copyRows(client, `"${name}" (${columnList})`, fields, source.reader());
    await client.unsafe("release savepoint bulk_insert");
    return;
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await client.unsafe("rollback to savepoint bulk_insert");
  }
  const staging = `${name}_incoming`;
  // Temporary, so per connection; emptied at every commit, so a flush sees only its own rows.
  await client.unsafe(`create temp table if not exists "${staging}" (like "${name}" including defaults) on commit delete rows`);
  await copyRows(client, `"${staging}" (${columnList})`, fields, source.reader());
  await client.unsafe(`insert into "${name}" (${columnList}) select ${columnList} from "${staging}" on conflict do nothing`);
}

/**
 * Rows taken once from `rows` and kept, so that a refused COPY can start again from the
 * first. Readers call `next()` by hand: a for-of that a failed COPY left would close the
 * source, and a flush's source counts its spend as its rows are taken.
 */
function replayable(rows: Iterable<Row>): { reader: () => () => Row | undefined; isEmpty: () => boolean } {
  const iterator = rows[Symbol.iterator]();
  const kept: Row[] = [];
  const reader = () => {
    let i = 0;
    return () => {
      if (i < kept.length) return kept[i++];
      const next = iterator.next();
      if (next.done) return undefined;
      kept.push(next.value);
      i += 1;
      return next.value;
    };
  };
  // Peeking takes the first row (or, with none, every entry the source passes over).
  return { reader, isEmpty: () => reader()() === undefined };
}

/**
 * Streams every row `next` returns into `target` with COPY, in chunks, taking the next
 * rows while Postgres works on the last chunk; rejects with the server's error when it
 * refuses them.
 */
async function copyRows(client: postgres.Sql, target: string, fields: readonly Field[], next: () => Row | undefined): Promise<void> {
  const query = client.unsafe(`copy ${target} from stdin`);
  const refused = serverRefusal(query);
  const copy = await query.writable();
  const finished = new Promise<void>((resolve, reject) => {
    copy.on("finish", resolve);
    copy.on("error", reject);
  });
  const done = Promise.race([finished, refused]);
  let chunk = "";
  let inChunk = 0;
  for (let row = next(); row !== undefined; row = next()) {
    chunk += `${fields.map((f) => copyText(row![f.name] ?? f.fallback)).join("\t")}\n`;
    if (++inChunk < COPY_CHUNK_ROWS) continue;
    // A COPY the server refused (a duplicate row) ends in "error", never in "drain".
    if (!copy.write(chunk)) await Promise.race([new Promise((resolve) => copy.once("drain", resolve)), done]);
    chunk = "";
    inChunk = 0;
  }
  if (chunk !== "") copy.write(chunk);
  copy.end();
  await done;
}

/**
 * Rejects when the server refuses a COPY after all its data was sent (a duplicate key
 * is found only then). postgres.js reports that error only to the COPY query, whose
 * promise has already resolved to the stream, and never ends the stream: without this
 * the COPY would wait forever. It wraps the query's own `reject`.
 */
function serverRefusal(query: ReturnType<postgres.Sql["unsafe"]>): Promise<never> {
  const pending = query as unknown as { reject: (error: unknown) => void };
  const refused = new Promise<never>((_, reject) => {
    const original = pending.reject;
    pending.reject = (error) => {
      original(error);
      reject(error);
    };
  });
  refused.catch(() => {}); // observed through `done`; a refusal before the stream opens rejects `writable()` too
  return refused;
}
