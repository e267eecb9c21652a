/**
 * Management-API benchmark: start-up time, and /key/generate + /key/info throughput
 * and latency on SQLite and on Postgres, measured with wrk over real HTTP.
 *
 *   bun run scripts/bench-management.ts [--duration 10] [--warmup 2] [--connections 32]
 *       [--runs 5] [--server source|binary] [--no-postgres] [--skip-startup] [--skip-keys]
 *
 * Every server runs in its own process group and is stopped in `finally`; the temp
 * dirs and the tollgate_bench_* Postgres databases it creates are removed there too.
 * Absolute numbers depend on the machine (wrk, the server and Postgres share its
 * cores); compare runs made on the same machine.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import {
  assertListening,
  BINARY,
  binaryIsStale,
  cleanUpEverything,
  isRunning,
  logTail,
  freePort,
  groupCpuSeconds,
  int,
  machineLine,
  median,
  ms,
  onCleanup,
  reqPerSec,
  ROOT,
  runWrk,
  spawnGroup,
  stopChildrenOnSignal,
  stopGroup,
  tempDir,
  waitFor200,
  type WrkResult,
  type WrkRun,
} from "./bench/lib.ts";

const MASTER_KEY = "sk-bench-master-0000";
const PG_ADMIN_URL = process.env.TOLLGATE_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const GENERATE_BODY = JSON.stringify({ models: ["gpt-4o"], metadata: { purpose: "bench" }, max_budget: 10 });
const AUTH = [`Authorization: Bearer ${MASTER_KEY}`];

export interface BenchOptions {
  duration: number;
  warmup: number;
  connections: number;
  runs: number;
  server: "source" | "binary";
  postgres: boolean;
  startup: boolean;
  keys: boolean;
}

/** A temp dir holding a config.yaml with only the master key. */
function serverDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "config.yaml"), `general_settings:\n  master_key: ${MASTER_KEY}\nmodel_list: []\n`);
  return dir;
}

function serverCommand(kind: "source" | "binary", port: number): string[] {
  const base = kind === "binary" ? [BINARY] : [process.execPath, join(ROOT, "src", "main.ts")];
  return [...base, "--config", "config.yaml", "--host", "127.0.0.1", "--port", String(port), "--db", "./bench.db"];
}

// ---------------------------------------------------------------- start-up

interface StartupRow {
  target: string;
  ms: number[];
  selfReported: number[];
}

async function measureStartup(label: string, command: (port: number) => string[], runs: number, verify = true): Promise<StartupRow> {
  const row: StartupRow = { target: label, ms: [], selfReported: [] };
  for (let i = 0; i < runs; i++) {
    const dir = serverDir();
    const port = freePort();
    const log = join(dir, "server.log");
    const started = performance.now();
    const child = spawnGroup(command(port), { cwd: dir, log });
    try {
      row.ms.push(await waitFor200(`http://127.0.0.1:${port}/health/liveliness`, child, started));
      if (verify) assertListening(log, port);
    } finally {
      await stopGroup(child);
    }
    const match = /listening on .* in (\d+) ms/.exec(readFileSync(`${log}.err`, "utf8"));
    if (match?.[1]) row.selfReported.push(Number(match[1]));
  }
  return row;
}

const FLOOR_SCRIPT = `Bun.serve({ port: Number(process.argv.at(-1)), hostname: "127.0.0.1", fetch: () => Response.json("I'm alive!") });`;

// ---------------------------------------------------------------- key endpoints

interface KeyRow {
  request: string;
  db: string;
  result: WrkResult;
  cpuPercent: number;
}

async function createPgDatabase(): Promise<string> {
  const name = `tollgate_bench_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${name}" with (force)`).finally(() => sql.end());
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function measureKeys(db: "sqlite" | "postgres", options: BenchOptions): Promise<KeyRow[]> {
  const dir = serverDir();
  const port = freePort();
  const env: Record<string, string> = db === "postgres" ? { DATABASE_URL: await createPgDatabase() } : {};
  const serverLog = join(dir, "server.log");
  const child = spawnGroup(serverCommand(options.server, port), { cwd: dir, env, log: serverLog });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor200(`${base}/health/liveliness`, child, performance.now());
    assertListening(serverLog, port);
    const headers = { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" };
    const probe = await fetch(`${base}/key/generate`, { method: "POST", headers, body: GENERATE_BODY });
    const generated: unknown = await probe.json();
    const key = typeof generated === "object" && generated !== null && "key" in generated ? generated.key : undefined;
    if (probe.status !== 200 || typeof key !== "string") throw new Error(`probe /key/generate answered ${probe.status}: ${JSON.stringify(generated)}`);
    const infoProbe = await fetch(`${base}/key/info?key=${encodeURIComponent(key)}`, { headers });
    if (infoProbe.status !== 200) throw new Error(`probe /key/info answered ${infoProbe.status}: ${await infoProbe.text()}`);

    const common = { headers: AUTH, connections: options.connections, seconds: options.duration };
    const runs: [string, WrkRun][] = [
      ["POST /key/generate", { ...common, method: "POST", url: `${base}/key/generate`, body: GENERATE_BODY }],
      ["GET /key/info?key=…", { ...common, method: "GET", url: `${base}/key/info?key=${encodeURIComponent(key)}` }],
    ];
    const rows: KeyRow[] = [];
    for (const [request, run] of runs) {
      process.stderr.write(`  ${db}: ${request} … `);
      if (options.warmup > 0) await runWrk(dir, { ...run, seconds: options.warmup });
      const cpu0 = groupCpuSeconds(child.pid);
      const result = await runWrk(dir, run);
      const cpuPercent = ((groupCpuSeconds(child.pid) - cpu0) / (result.duration_us / 1e6)) * 100;
      if (!isRunning(child)) throw new Error(`the server died during ${request}`);
      process.stderr.write(`${int(reqPerSec(result))} req/s\n`);
      rows.push({ request, db, result, cpuPercent });
    }
    return rows;
  } catch (error) {
    const tail = logTail(serverLog);
    const state = isRunning(child) ? "still running" : `exited (code ${child.exitCode}, signal ${child.signalCode})`;
    throw new Error(`${db} key benchmark failed: ${error instanceof Error ? error.message : String(error)}\nserver ${state}; last log lines:\n${tail}`);
  } finally {
    await stopGroup(child);
  }
}

// ---------------------------------------------------------------- report

/** The flags that repeat this measurement with the same settings. */
export function managementFlagList(options: BenchOptions): string[] {
  const flags = [`--duration ${options.duration}`, `--warmup ${options.warmup}`, `--connections ${options.connections}`, `--runs ${options.runs}`, `--server ${options.server}`];
  if (!options.postgres) flags.push("--no-postgres");
  if (!options.startup) flags.push("--skip-startup");
  if (!options.keys) flags.push("--skip-keys");
  return flags;
}

export async function runManagementBench(options: BenchOptions): Promise<string> {
  const lines: string[] = [];
  lines.push(`## tollgate management API benchmark`, "");
  lines.push(machineLine(), "");

  try {
    if (options.startup) {
      const rows: StartupRow[] = [];
      process.stderr.write("start-up …\n");
      rows.push(await measureStartup("`bun -e Bun.serve(…)` (runtime floor)", (port) => [process.execPath, "-e", FLOOR_SCRIPT, String(port)], options.runs, false));
      rows.push(await measureStartup("`bun src/main.ts`", (port) => serverCommand("source", port), options.runs));
      if (existsSync(BINARY)) {
        if (binaryIsStale()) process.stderr.write("note: dist/tollgate is older than src/ (run `bun run build`)\n");
        rows.push(await measureStartup("`dist/tollgate`", (port) => serverCommand("binary", port), options.runs));
      } else process.stderr.write("note: dist/tollgate not found, measuring the source only (run `bun run build`)\n");
      lines.push(`### Start-up: spawn → first 200 on /health/liveliness (fresh SQLite file, migrations applied; poll every 2 ms; ${options.runs} runs)`, "");
      lines.push("| command | median | min | max | self-reported \"in N ms\" (median) |", "|---|---:|---:|---:|---:|");
      for (const row of rows) {
        const self = row.selfReported.length ? `${median(row.selfReported)} ms` : "—";
        lines.push(`| ${row.target} | ${median(row.ms).toFixed(1)} ms | ${Math.min(...row.ms).toFixed(1)} ms | ${Math.max(...row.ms).toFixed(1)} ms | ${self} |`);
      }
      lines.push("");
    }

    if (options.keys) {
      const rows: KeyRow[] = [];
      process.stderr.write(`key endpoints (server: ${options.server}) …\n`);
      rows.push(...(await measureKeys("sqlite", options)));
      if (options.postgres) rows.push(...(await measureKeys("postgres", options)));
      lines.push(`### Key endpoints: wrk -t1 -c${options.connections}, ${options.warmup} s warm-up + ${options.duration} s measured, master key, server = ${options.server === "binary" ? "dist/tollgate" : "bun src/main.ts"}`, "");
      lines.push("| request | db | req/s | p50 | p99 | server CPU | non-2xx | socket errors |", "|---|---|---:|---:|---:|---:|---:|---:|");
      for (const { request, db, result, cpuPercent } of rows) {
        const rps = reqPerSec(result);
        lines.push(`| ${request} | ${db} | ${int(rps)} | ${ms(result.p50)} ms | ${ms(result.p99)} ms | ${Math.round(cpuPercent)}% | ${result.non2xx} | ${result.socket_errors} |`);
      }
      lines.push("");
    }
  } finally {
    await cleanUpEverything();
  }

  lines.push(`Reproduce: \`cd ${ROOT} && bun run scripts/bench-management.ts ${managementFlagList(options).join(" ")}\` (the wrk Lua script is generated by the bench${options.postgres && options.keys ? `; Postgres admin URL from TOLLGATE_BENCH_PG_URL, default ${PG_ADMIN_URL.replace(/\/\/[^@/]*@/, "//")}` : ""}).`);
  return lines.join("\n");
}

/** This bench's flags, for `parseArgs` (scripts/bench.ts merges them with the proxy bench's). */
export const managementFlags = {
  duration: { type: "string" },
  warmup: { type: "string" },
  connections: { type: "string" },
  runs: { type: "string" },
  server: { type: "string" },
  "no-postgres": { type: "boolean" },
  "skip-startup": { type: "boolean" },
  "skip-keys": { type: "boolean" },
} as const;

type FlagValues = { [K in keyof typeof managementFlags]?: (typeof managementFlags)[K]["type"] extends "string" ? string : boolean };

/** Defaults filled in; a connection list ("32,64", from scripts/bench.ts) uses its first value. */
export function managementOptions(values: FlagValues): BenchOptions {
  const num = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}`);
    return n;
  };
  const server = values.server ?? "source";
  if (server !== "source" && server !== "binary") throw new Error(`--server must be source or binary, got ${server}`);
  return {
    duration: num("duration", values.duration ?? "10", 1),
    warmup: num("warmup", values.warmup ?? "2", 0),
    connections: num("connections", (values.connections ?? "32").split(/[\s,]+/).filter(Boolean)[0] ?? "", 1),
    runs: num("runs", values.runs ?? "5", 1),
    server,
    postgres: !values["no-postgres"],
    startup: !values["skip-startup"],
    keys: !values["skip-keys"],
  };
}

/** Refuses to start when wrk or Postgres is missing, saying how to get them. */
export async function checkPrerequisites(options: BenchOptions): Promise<string | null> {
  if (options.keys && !Bun.which("wrk")) return "wrk is not installed: apt-get update && apt-get install -y wrk";
  if (options.server === "binary" && !existsSync(BINARY)) return "dist/tollgate not found: bun run build";
  if (options.keys && options.postgres) {
    const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
    const ok = await sql`select 1`.then(() => true, () => false);
    await sql.end({ timeout: 1 });
    if (!ok) return `Postgres does not answer at ${PG_ADMIN_URL} (set TOLLGATE_BENCH_PG_URL, or pass --no-postgres)`;
  }
  return null;
}

if (import.meta.main) {
  const options = managementOptions(parseArgs({ args: Bun.argv.slice(2), options: managementFlags, strict: true }).values);
  const problem = await checkPrerequisites(options);
  if (problem) {
    console.error(`bench-management: ${problem}`);
    process.exit(2);
  }
  stopChildrenOnSignal();
  console.log(await runManagementBench(options));
}
