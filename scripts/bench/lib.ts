/**
 * Pieces every benchmark script shares: child processes in their own process groups
 * (stopped in `finally` and on Ctrl-C), free ports, temp dirs, CPU time from /proc,
 * a wrk runner with a generated Lua script, the dist/tollgate build check, and the
 * small number formatters the Markdown tables use.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");
export const BINARY = join(ROOT, "dist", "tollgate");

// ---------------------------------------------------------------- processes

export type Child = ReturnType<typeof Bun.spawn>;
const children = new Set<Child>();
const cleanups: (() => Promise<void> | void)[] = [];

/** Starts `cmd` as the leader of a new process group, stdout to `log` and stderr to `log.err`. */
export function spawnGroup(cmd: string[], options: { cwd: string; env?: Record<string, string>; log: string; timeoutMs?: number }): Child {
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

export const isRunning = (child: Child) => child.exitCode === null && child.signalCode === null;

/** SIGTERM to the whole group, SIGKILL after 3 s. */
export async function stopGroup(child: Child): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  };
  if (isRunning(child)) signal("SIGTERM");
  const done = await Promise.race([child.exited.then(() => true), Bun.sleep(3_000).then(() => false)]);
  if (!done) signal("SIGKILL");
  await child.exited;
}

/** Runs at the end (reverse order), after every child is stopped. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

export async function cleanUpEverything(): Promise<void> {
  await Promise.all([...children].map(stopGroup));
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

/** Ctrl-C / SIGTERM still stop every process this script started. */
export function stopChildrenOnSignal(): void {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: stopping servers\n`);
      void cleanUpEverything().finally(() => process.exit(130));
    });
  }
}

/** The environment minus whatever would point a tollgate at another database, key or port. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  for (const name of ["DATABASE_URL", "LITELLM_MASTER_KEY", "PORT", "TOLLGATE_DB_PATH", "REDIS_URL", "JSON_LOGS"]) delete env[name];
  return env;
}

const handedOut = new Set<number>();

/**
 * A free port in 20000–31999, below the kernel's ephemeral range (32768+), so that
 * servers other processes start with `--port 0` cannot take it between our check and
 * our bind. Never the same port twice in one run.
 */
export function freePort(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    try {
      const server = Bun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response() });
      void server.stop(true);
      handedOut.add(port);
      return port;
    } catch {}
  }
  throw new Error("could not find a free port");
}

export function readLog(log: string): string {
  return [log, `${log}.err`].map((f) => (existsSync(f) ? readFileSync(f, "utf8") : "")).join("");
}

export function logTail(log: string, lines = 15): string {
  return readLog(log).trimEnd().split("\n").slice(-lines).join("\n");
}

/** Fails unless the server's own log says it listens on `port` (not some other process). */
export function assertListening(log: string, port: number): void {
  const text = readLog(log);
  if (!text.includes(`listening on http://127.0.0.1:${port} `)) {
    throw new Error(`something answered on port ${port}, but the server did not log that it listens there:\n${text.slice(-2000)}`);
  }
}

/** A new temp dir, removed at the end of the run. */
export function tempDir(prefix = "tollgate-bench-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Polls `url` every 2 ms until it answers 200; returns ms since `since`. */
export async function waitFor200(url: string, child: Child, since: number, timeoutMs = 20_000, init?: RequestInit): Promise<number> {
  let last = "no answer";
  while (performance.now() - since < timeoutMs) {
    if (!isRunning(child)) throw new Error(`server exited (code ${child.exitCode}, signal ${child.signalCode}) before answering`);
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
      const text = await res.text();
      if (res.status === 200) return performance.now() - since;
      last = `${res.status} ${text.slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await Bun.sleep(2);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms (last: ${last})`);
}

// ---------------------------------------------------------------- CPU time

const CLK_TCK = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

/** user + system CPU seconds of one /proc/<entry>/stat (a process or a thread), with its process group id. */
function statOf(entry: string): { pgrp: number; seconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state ppid pgrp … utime(11) stime(12)
    return { pgrp: Number(fields[2]), seconds: (Number(fields[11]) + Number(fields[12])) / CLK_TCK };
  } catch {
    return null; // gone already
  }
}

/** CPU seconds (user + system, all threads) used so far by the live processes of group `pgid`. */
export function groupCpuSeconds(pgid: number): number {
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (pid.charCodeAt(0) < 48 || pid.charCodeAt(0) > 57) continue;
    const stat = statOf(pid);
    if (stat && stat.pgrp === pgid) total += stat.seconds;
  }
  return total;
}

/** The thread groups `threadCpuSeconds` reports, in report order. */
export const THREAD_GROUPS = ["serving thread", "HTTP client (fetch)", "flush worker", "JIT and GC", "other"] as const;
export type ThreadGroup = (typeof THREAD_GROUPS)[number];

/** Bun's thread names (/proc/<pid>/task/<tid>/comm) by what they do; the main thread serves requests. */
function threadGroup(name: string): ThreadGroup {
  if (name === "HTTP Client") return "HTTP client (fetch)";
  if (name === "Worker") return "flush worker"; // Bun names a `new Worker` thread so
  if (/JIT|Heap|scavenger|WarmUp|GC/i.test(name)) return "JIT and GC";
  return "other";
}

/** CPU seconds (user + system) one process has used so far, per thread group. */
export function threadCpuSeconds(pid: number): Map<ThreadGroup, number> {
  const out = new Map<ThreadGroup, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // gone
  }
  for (const tid of tids) {
    const stat = statOf(`${pid}/task/${tid}`);
    if (!stat) continue; // the thread ended
    const group = tid === String(pid) ? "serving thread" : threadGroup(readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim());
    out.set(group, (out.get(group) ?? 0) + stat.seconds);
  }
  return out;
}

/** Busy CPU seconds of the whole machine, all cores (user+nice+system+irq+softirq+steal from /proc/stat). */
export function machineBusySeconds(): number {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

/** CPU seconds this (bench) process has used so far. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

// ---------------------------------------------------------------- wrk

/** POSTs or GETs BENCH_BODY with the BENCH_HEADERS lines; prints one BENCH_RESULT JSON line (µs). */
const WRK_LUA = `-- generated by scripts/bench/lib.ts
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if #body > 0 then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\\n]+") do
  local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
  if name and value then wrk.headers[name] = value end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50":%d,"p90":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
`;

export interface WrkResult {
  requests: number;
  duration_us: number;
  non2xx: number;
  socket_errors: number;
  p50: number;
  p90: number;
  p99: number;
}

export function parseWrk(output: string): WrkResult {
  const line = output.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${output}`);
  const raw: unknown = JSON.parse(line.slice("BENCH_RESULT ".length));
  if (typeof raw !== "object" || raw === null) throw new Error(`bad wrk result: ${line}`);
  const record = raw as Record<string, unknown>;
  const result: WrkResult = { requests: 0, duration_us: 0, non2xx: 0, socket_errors: 0, p50: 0, p90: 0, p99: 0 };
  for (const key of Object.keys(result) as (keyof WrkResult)[]) {
    const value = record[key];
    if (typeof value !== "number") throw new Error(`bad wrk result (${key}): ${line}`);
    result[key] = value;
  }
  return result;
}

export interface WrkRun {
  method: "GET" | "POST";
  url: string;
  body?: string;
  /** "Name: value" pairs. */
  headers?: string[];
  connections: number;
  seconds: number;
}

/** One bounded wrk run (-t1, so the servers keep the most CPU), in its own process group; also wrk's own CPU seconds. */
export async function runWrk(dir: string, run: WrkRun): Promise<WrkResult & { wrkCpuSeconds: number }> {
  const script = join(dir, "bench.lua");
  if (!existsSync(script)) writeFileSync(script, WRK_LUA);
  const log = join(dir, `wrk-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.txt`);
  const child = spawnGroup(["wrk", "-t1", `-c${run.connections}`, `-d${run.seconds}s`, "--timeout", "5s", "-s", script, run.url], {
    cwd: dir,
    env: { BENCH_METHOD: run.method, BENCH_BODY: run.body ?? "", BENCH_HEADERS: (run.headers ?? []).join("\n") },
    log,
    timeoutMs: (run.seconds + 20) * 1000,
  });
  const code = await child.exited;
  const output = readLog(log);
  rmSync(log, { force: true });
  rmSync(`${log}.err`, { force: true });
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${output}`);
  return { ...parseWrk(output), wrkCpuSeconds: Number(child.resourceUsage()?.cpuTime.total ?? 0n) / 1e6 };
}

export const reqPerSec = (r: WrkResult) => r.requests / (r.duration_us / 1e6);

// ---------------------------------------------------------------- dist/tollgate

export function binaryIsStale(): boolean {
  if (!existsSync(BINARY)) return true;
  const binaryTime = statSync(BINARY).mtimeMs;
  return ["src", "drizzle"].some((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" }).some((f) => statSync(join(ROOT, folder, f)).mtimeMs > binaryTime),
  );
}

let builtThisRun: string | null = null;

/** Runs `bun run build` when dist/tollgate is missing or older than src/; returns what it did. */
export async function ensureBinary(): Promise<string> {
  if (!binaryIsStale()) return builtThisRun ?? "dist/tollgate was up to date";
  const why = existsSync(BINARY) ? "older than src/" : "missing";
  process.stderr.write(`dist/tollgate is ${why}: bun run build …\n`);
  const dir = tempDir();
  const log = join(dir, "build.log");
  const child = spawnGroup([process.execPath, "run", "build"], { cwd: ROOT, log, timeoutMs: 300_000 });
  const code = await child.exited;
  if (code !== 0 || !existsSync(BINARY)) throw new Error(`bun run build failed (exit ${code}):\n${logTail(log, 30)}`);
  const said = readFileSync(log, "utf8").trim().split("\n").at(-1) ?? "";
  builtThisRun = `dist/tollgate was ${why}, rebuilt for this run: ${said}`;
  return builtThisRun;
}

// ---------------------------------------------------------------- report helpers

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? Number.NaN) + (s[mid] ?? Number.NaN)) / 2;
};

/** Nearest-rank percentile of unsorted samples. */
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};

/** µs → "0.42" (ms). */
export const ms = (us: number) => (us / 1000).toFixed(2);
export const int = (n: number) => Math.round(n).toLocaleString("en-US");

export function wrkVersion(): string {
  return Bun.spawnSync(["wrk", "--version"]).stdout.toString().split("\n")[0]?.split(" ").slice(0, 2).join(" ") ?? "?";
}

/** "2026-11-27 05:00 UTC · 2 cores (…) · Bun 1.4.4 · wrk …" */
export function machineLine(): string {
  const load = loadavg().map((n) => n.toFixed(2)).join(" ");
  return `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpus().length} cores (${cpus()[0]?.model ?? "?"}) · Bun ${Bun.version} · ${wrkVersion()} · load average ${load}`;
}
