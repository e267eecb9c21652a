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
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";

const ROOT = join(import.meta.dir, "..");
const BINARY = join(ROOT, "dist", "tollgate");
const MASTER_KEY = "sk-bench-master-0000";
const PG_ADMIN_URL = process.env.TOLLGATE_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const GENERATE_BODY = JSON.stringify({ models: ["gpt-4o"], metadata: { purpose: "bench" }, max_budget: 10 });

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

// ---------------------------------------------------------------- processes

type Child = ReturnType<typeof Bun.spawn>;
const children = new Set<Child>();
const cleanups: (() => Promise<void> | void)[] = [];

function spawnGroup(cmd: string[], options: { cwd: string; env?: Record<string, string>; log: string; timeoutMs?: number }): Child {
  const child = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: { ...cleanEnv(), ...options.env },
    stdin: "ignore",
    stdout: Bun.file(options.log),
    stderr: Bun.file(`${options.log}.err`),
    detached: true,
    timeout: options.timeoutMs,
    killSignal: "SIGKILL",
  });
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

/** SIGTERM to the whole group, SIGKILL after 3 s. */
async function stopGroup(child: Child): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  };
  if (child.exitCode === null && child.signalCode === null) signal("SIGTERM");
  const done = await Promise.race([child.exited.then(() => true), Bun.sleep(3_000).then(() => false)]);
  if (!done) signal("SIGKILL");
  await child.exited;
}

async function cleanUpEverything(): Promise<void> {
  await Promise.all([...children].map(stopGroup));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  for (const name of ["DATABASE_URL", "LITELLM_MASTER_KEY", "PORT", "TOLLGATE_DB_PATH", "REDIS_URL", "JSON_LOGS"]) delete env[name];
  return env;
}

/**
 * A free port below the kernel's ephemeral range (32768+), so that servers other
 * processes start with `--port 0` cannot take it between our check and our bind.
 */
function freePort(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      const server = Bun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response() });
      void server.stop(true);
      return port;
    } catch {}
  }
  throw new Error("could not find a free port");
}

/** Fails unless the server's own log says it listens on `port` (not some other process). */
function assertListening(log: string, port: number): void {
  const text = existsSync(log) ? readFileSync(log, "utf8") : "";
  if (!text.includes(`listening on http://127.0.0.1:${port} `)) {
    throw new Error(`something answered on port ${port}, but the server did not log that it listens there:\n${text.slice(-2000)}`);
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-bench-"));
  writeFileSync(join(dir, "config.yaml"), `general_settings:\n  master_key: ${MASTER_KEY}\nmodel_list: []\n`);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function serverCommand(kind: "source" | "binary", port: number): string[] {
  const base = kind === "binary" ? [BINARY] : [process.execPath, join(ROOT, "src", "main.ts")];
  return [...base, "--config", "config.yaml", "--host", "127.0.0.1", "--port", String(port), "--db", "./bench.db"];
}

/** Polls `url` every 2 ms until it answers 200; returns ms since `since`. */
async function waitFor200(url: string, child: Child, since: number, timeoutMs = 20_000): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before answering`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {}
    await Bun.sleep(2);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
}

/** CPU seconds (user + system) the process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
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
    const dir = tempDir();
    const port = freePort();
    const log = join(dir, "server.log");
    const started = performance.now();
    const child = spawnGroup(command(port), { cwd: dir, log });
    try {
      row.ms.push(await waitFor200(`http://127.0.0.1:${port}/health/liveliness`, child, started));
      if (verify) assertListening(`${log}.err`, port);
    } finally {
      await stopGroup(child);
    }
    const match = /listening on .* in (\d+) ms/.exec(readFileSync(`${log}.err`, "utf8"));
    if (match?.[1]) row.selfReported.push(Number(match[1]));
  }
  return row;
}

const FLOOR_SCRIPT = `Bun.serve({ port: Number(process.argv.at(-1)), hostname: "127.0.0.1", fetch: () => Response.json("I'm alive!") });`;

// ---------------------------------------------------------------- wrk

const WRK_LUA = `-- generated by scripts/bench-management.ts
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if #body > 0 then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

interface WrkResult {
  requests: number;
  duration_us: number;
  non2xx: number;
  socket_errors: number;
  p50: number;
  p99: number;
}

function parseWrk(output: string): WrkResult {
  const line = output.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${output}`);
  const raw: unknown = JSON.parse(line.slice("BENCH_RESULT ".length));
  const keys = ["requests", "duration_us", "non2xx", "socket_errors", "p50", "p99"] as const;
  if (typeof raw !== "object" || raw === null) throw new Error(`bad wrk result: ${line}`);
  const record = raw as Record<string, unknown>;
  const result = { requests: 0, duration_us: 0, non2xx: 0, socket_errors: 0, p50: 0, p99: 0 };
  for (const key of keys) {
    const value = record[key];
    if (typeof value !== "number") throw new Error(`bad wrk result (${key}): ${line}`);
    result[key] = value;
  }
  return result;
}

interface WrkRun {
  method: "GET" | "POST";
  url: string;
  body?: string;
  seconds: number;
}

async function runWrk(dir: string, run: WrkRun, options: BenchOptions): Promise<WrkResult> {
  const script = join(dir, "bench.lua");
  if (!existsSync(script)) writeFileSync(script, WRK_LUA);
  const log = join(dir, `wrk-${Date.now()}.txt`);
  const child = spawnGroup(["wrk", "-t1", `-c${options.connections}`, `-d${run.seconds}s`, "--timeout", "5s", "-s", script, run.url], {
    cwd: dir,
    env: { BENCH_METHOD: run.method, BENCH_BODY: run.body ?? "", BENCH_KEY: MASTER_KEY },
    log,
    timeoutMs: (run.seconds + 20) * 1000,
  });
  const code = await child.exited;
  const output = readFileSync(log, "utf8") + readFileSync(`${log}.err`, "utf8");
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${output}`);
  return parseWrk(output);
}

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
  cleanups.push(async () => {
    const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${name}" with (force)`).finally(() => sql.end());
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function measureKeys(db: "sqlite" | "postgres", options: BenchOptions): Promise<KeyRow[]> {
  const dir = tempDir();
  const port = freePort();
  const env: Record<string, string> = db === "postgres" ? { DATABASE_URL: await createPgDatabase() } : {};
  const serverLog = join(dir, "server.log");
  const child = spawnGroup(serverCommand(options.server, port), { cwd: dir, env, log: serverLog });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor200(`${base}/health/liveliness`, child, performance.now());
    assertListening(`${serverLog}.err`, port);
    const headers = { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" };
    const probe = await fetch(`${base}/key/generate`, { method: "POST", headers, body: GENERATE_BODY });
    const generated: unknown = await probe.json();
    const key = typeof generated === "object" && generated !== null && "key" in generated ? generated.key : undefined;
    if (probe.status !== 200 || typeof key !== "string") throw new Error(`probe /key/generate answered ${probe.status}: ${JSON.stringify(generated)}`);
    const infoProbe = await fetch(`${base}/key/info?key=${encodeURIComponent(key)}`, { headers });
    if (infoProbe.status !== 200) throw new Error(`probe /key/info answered ${infoProbe.status}: ${await infoProbe.text()}`);

    const runs: [string, WrkRun][] = [
      ["POST /key/generate", { method: "POST", url: `${base}/key/generate`, body: GENERATE_BODY, seconds: options.duration }],
      ["GET /key/info?key=…", { method: "GET", url: `${base}/key/info?key=${encodeURIComponent(key)}`, seconds: options.duration }],
    ];
    const rows: KeyRow[] = [];
    for (const [request, run] of runs) {
      process.stderr.write(`  ${db}: ${request} … `);
      if (options.warmup > 0) await runWrk(dir, { ...run, seconds: options.warmup }, options);
      const cpu0 = cpuSeconds(child.pid);
      const result = await runWrk(dir, run, options);
      const cpuPercent = ((cpuSeconds(child.pid) - cpu0) / (result.duration_us / 1e6)) * 100;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server died during ${request}`);
      process.stderr.write(`${Math.round(result.requests / (result.duration_us / 1e6))} req/s\n`);
      rows.push({ request, db, result, cpuPercent });
    }
    return rows;
  } catch (error) {
    const tail = readFileSync(`${serverLog}.err`, "utf8").split("\n").slice(-15).join("\n");
    const state = child.exitCode === null && child.signalCode === null ? "still running" : `exited (code ${child.exitCode}, signal ${child.signalCode})`;
    throw new Error(`${db} key benchmark failed: ${error instanceof Error ? error.message : String(error)}\nserver ${state}; last log lines:\n${tail}`);
  } finally {
    await stopGroup(child);
  }
}

// ---------------------------------------------------------------- report

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? Number.NaN) + (s[mid] ?? Number.NaN)) / 2;
};
const ms = (us: number) => (us / 1000).toFixed(2);
const int = (n: number) => Math.round(n).toLocaleString("en-US");

function sourceIsNewerThanBinary(): boolean {
  const binaryTime = statSync(BINARY).mtimeMs;
  return ["src", "drizzle"].some((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" }).some((f) => statSync(join(ROOT, folder, f)).mtimeMs > binaryTime),
  );
}

/** The command line that repeats this measurement with the same settings. */
export function reproduceCommand(options: BenchOptions, script = "scripts/bench-management.ts"): string {
  const flags = [`--duration ${options.duration}`, `--warmup ${options.warmup}`, `--connections ${options.connections}`, `--runs ${options.runs}`, `--server ${options.server}`];
  if (!options.postgres) flags.push("--no-postgres");
  if (!options.startup) flags.push("--skip-startup");
  if (!options.keys) flags.push("--skip-keys");
  return `cd ${ROOT} && bun run ${script} ${flags.join(" ")}`;
}

export async function runManagementBench(options: BenchOptions): Promise<string> {
  const lines: string[] = [];
  const wrkVersion = Bun.spawnSync(["wrk", "--version"]).stdout.toString().split("\n")[0]?.split(" ").slice(0, 2).join(" ") ?? "?";
  lines.push(`## tollgate management API benchmark`, "");
  lines.push(`${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpus().length} cores (${cpus()[0]?.model ?? "?"}) · Bun ${Bun.version} · ${wrkVersion}`, "");

  try {
    if (options.startup) {
      const rows: StartupRow[] = [];
      process.stderr.write("start-up …\n");
      rows.push(await measureStartup("`bun -e Bun.serve(…)` (runtime floor)", (port) => [process.execPath, "-e", FLOOR_SCRIPT, String(port)], options.runs, false));
      rows.push(await measureStartup("`bun src/main.ts`", (port) => serverCommand("source", port), options.runs));
      if (existsSync(BINARY)) {
        if (sourceIsNewerThanBinary()) process.stderr.write("note: dist/tollgate is older than src/ (run `bun run build`)\n");
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
        const rps = result.requests / (result.duration_us / 1e6);
        lines.push(`| ${request} | ${db} | ${int(rps)} | ${ms(result.p50)} ms | ${ms(result.p99)} ms | ${Math.round(cpuPercent)}% | ${result.non2xx} | ${result.socket_errors} |`);
      }
      lines.push("");
    }
  } finally {
    await cleanUpEverything();
  }

  lines.push(`Reproduce: \`${reproduceCommand(options)}\` (the wrk Lua script is generated by the bench${options.postgres && options.keys ? `; Postgres admin URL from TOLLGATE_BENCH_PG_URL, default ${PG_ADMIN_URL.replace(/\/\/[^@/]*@/, "//")}` : ""}).`);
  return lines.join("\n");
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "32" },
      runs: { type: "string", default: "5" },
      server: { type: "string", default: "source" },
      "no-postgres": { type: "boolean", default: false },
      "skip-startup": { type: "boolean", default: false },
      "skip-keys": { type: "boolean", default: false },
    },
    strict: true,
  });
  const num = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}`);
    return n;
  };
  if (values.server !== "source" && values.server !== "binary") throw new Error(`--server must be source or binary, got ${values.server}`);
  return {
    duration: num("duration", values.duration, 1),
    warmup: num("warmup", values.warmup, 0),
    connections: num("connections", values.connections, 1),
    runs: num("runs", values.runs, 1),
    server: values.server,
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

/** Ctrl-C / SIGTERM still stop every server this script started. */
export function stopChildrenOnSignal(): void {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: stopping servers\n`);
      void cleanUpEverything().finally(() => process.exit(130));
    });
  }
}

if (import.meta.main) {
  const options = parseBenchArgs(Bun.argv.slice(2));
  const problem = await checkPrerequisites(options);
  if (problem) {
    console.error(`bench-management: ${problem}`);
    process.exit(2);
  }
  stopChildrenOnSignal();
  console.log(await runManagementBench(options));
}
