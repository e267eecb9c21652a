/**
 * How fast the ledger writes spend to the database: records N priced calls for a
 * realistic spread of keys, users and teams, then times one flush (spend-log rows +
 * entity increments + checkpoint in one transaction) on a fresh Postgres database
 * and a fresh SQLite file.
 *
 *   bun run scripts/bench/ledger-flush.ts [--calls 100000] [--keys 200]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openDatabase } from "../../src/db/database.ts";
import { createStore } from "../../src/db/store/index.ts";
import { silentLogger } from "../../src/log.ts";
import { Journal } from "../../src/spend/journal.ts";
import { Ledger } from "../../src/spend/ledger.ts";
import type { JournaledEntry } from "../../src/spend/ledger-entry.ts";
import { type SettledCall, settledCall } from "../../src/spend/settlement.ts";

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { calls: { type: "string", default: "100000" }, keys: { type: "string", default: "200" } } });
const CALLS = Number(values.calls);
const KEYS = Number(values.keys);
const PG_ADMIN = process.env.TOLLGATE_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function call(i: number): SettledCall {
  const k = i % KEYS;
  return settledCall({
    request_id: `chatcmpl-${i}`,
    api_key: `key-${k}`,
    user_id: `user-${k % 50}`,
    team_id: `team-${k % 10}`,
    end_user: `customer-${i % 1000}`,
    model_group: "gpt-4o-mini",
    model: "gpt-4o-mini",
    model_id: "dep-1",
    provider: "openai",
    api_base: "https://api.openai.com/v1",
    prompt_tokens: 120,
    completion_tokens: 24,
  });
}

async function measure(label: string, databaseUrl: string | null, sqlitePath: string): Promise<string> {
  const database = openDatabase({ databaseUrl, sqlitePath, poolSize: 4 });
  await database.migrate();
  const journalDir = mkdtempSync(join(tmpdir(), "ledger-bench-"));
  const ledger = new Ledger({ store: createStore(database), journal: new Journal<JournaledEntry>(journalDir), price: () => 0.0001, writeSpendLogs: true, log: silentLogger });
  const recordStart = performance.now();
  for (let i = 0; i < CALLS; i++) ledger.record(call(i));
  const recordMs = performance.now() - recordStart;
  const flushStart = performance.now();
  await ledger.flush();
  const flushMs = performance.now() - flushStart;
  ledger.close();
  await database.close();
  rmSync(journalDir, { recursive: true, force: true });
  const perSecond = Math.round(CALLS / (flushMs / 1000));
  return `| ${label} | ${CALLS.toLocaleString("en-US")} | ${(recordMs / CALLS * 1000).toFixed(1)} µs | ${Math.round(flushMs)} ms | ${perSecond.toLocaleString("en-US")} |`;
}

const rows: string[] = [];
const dir = mkdtempSync(join(tmpdir(), "ledger-bench-db-"));
rows.push(await measure("SQLite", null, join(dir, "bench.db")));
rmSync(dir, { recursive: true, force: true });

const name = `tollgate_bench_ledger_${Date.now().toString(36)}`;
const admin = postgres(PG_ADMIN, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
try {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  rows.push(await measure("Postgres", url.toString(), ""));
} finally {
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

console.log(`| database | calls | record() per call (journal append) | one flush | spend-log rows/s |\n|---|---:|---:|---:|---:|\n${rows.join("\n")}`);
console.log(`\nReproduce: bun run scripts/bench/ledger-flush.ts --calls ${CALLS} --keys ${KEYS}`);
