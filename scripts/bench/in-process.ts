/**
 * What tollgate's own code costs a call, without Bun's HTTP server, the network or a
 * load generator sharing the cores: the app's request handler (`app.handle`) is called
 * 64 calls at a time with a cached virtual key, and `fetch` answers at once with a
 * canned chat completion. The ledger, budgets and limits run as in service (SQLite,
 * journal, flush worker).
 *
 *   bun run scripts/bench/in-process.ts [--calls 30000] [--rounds 5]
 *
 * Prints, per round after a warm-up round, the CPU time a call costs on the thread
 * that serves requests and on all threads (flush worker, JIT and GC included), read
 * from /proc (Linux only), and the medians. The figures include building each
 * Request and reading each Response (about 4 µs), which a real server does natively.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config/index.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createStore } from "../../src/db/store/index.ts";
import { silentLogger } from "../../src/log.ts";
import { median, threadCpuSeconds } from "./lib.ts";
import { CHAT_BODY } from "./proxy.ts";

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { calls: { type: "string", default: "30000" }, rounds: { type: "string", default: "5" } } });
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = 64;
const MASTER_KEY = "sk-bench-master-0000";
const VIRTUAL_KEY = "sk-bench-virtual-key-0000000000000000";
const ANSWER = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  system_fingerprint: "fp_bench",
  choices: [{ index: 0, message: { role: "assistant", content: "This is a canned answer with a fixed text so that token counts repeat." }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 40, completion_tokens: 18, total_tokens: 58 },
});

/** CPU seconds of this process so far: the serving (main) thread, and all threads. */
function cpuSeconds(): { serving: number; all: number } {
  const threads = threadCpuSeconds(process.pid);
  return { serving: threads.get("serving thread") ?? 0, all: [...threads.values()].reduce((a, b) => a + b, 0) };
}

const dir = mkdtempSync(join(tmpdir(), "tollgate-in-process-"));
const configPath = join(dir, "config.yaml");
writeFileSync(
  configPath,
  `model_list:\n  - model_name: gpt-4o-mini\n    litellm_params:\n      model: openai/gpt-4o-mini\n      api_base: http://127.0.0.1:9/v1\n      api_key: sk-upstream\ngeneral_settings:\n  master_key: ${MASTER_KEY}\n`,
);
const location = { databaseUrl: null, sqlitePath: join(dir, "bench.db") };
const database = openDatabase(location);
await database.migrate();
const store = createStore(database);
const { app, start } = createApp({ config: loadConfig({ path: configPath }), store, database: location, masterKey: MASTER_KEY, log: silentLogger, journalDir: join(dir, "journal"), configDir: dir });
const stop = await start();

const generated = await app.handle(
  new Request("http://localhost/key/generate", { method: "POST", headers: { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" }, body: JSON.stringify({ key: VIRTUAL_KEY }) }),
);
if (generated.status !== 200) throw new Error(`key/generate: ${generated.status} ${await generated.text()}`);

const realFetch = globalThis.fetch;
globalThis.fetch = (async () => new Response(ANSWER, { headers: { "content-type": "application/json" } })) as unknown as typeof fetch;

async function round(): Promise<{ serving: number; all: number }> {
  let started = 0;
  const client = async () => {
    while (started++ < CALLS) {
      const request = new Request("http://localhost/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${VIRTUAL_KEY}`, "content-type": "application/json" }, body: CHAT_BODY });
      const response = await app.handle(request);
      if (response.status !== 200) throw new Error(`chat: ${response.status} ${await response.text()}`);
      await response.text();
    }
  };
  const before = cpuSeconds();
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const after = cpuSeconds();
  const perCall = (seconds: number) => (seconds * 1e6) / CALLS;
  return { serving: perCall(after.serving - before.serving), all: perCall(after.all - before.all) };
}

try {
  await round(); // warm-up: JIT tiers, caches
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(", ");
  console.log(`${CALLS.toLocaleString("en-US")} calls a round, ${CONCURRENCY} at a time; CPU µs a call`);
  console.log(`serving thread: median ${median(rounds.map((r) => r.serving)).toFixed(1)} (${fmt(rounds.map((r) => r.serving))})`);
  console.log(`all threads:    median ${median(rounds.map((r) => r.all)).toFixed(1)} (${fmt(rounds.map((r) => r.all))})`);
  console.log(`\nReproduce: bun run scripts/bench/in-process.ts --calls ${CALLS} --rounds ${ROUNDS}`);
} finally {
  globalThis.fetch = realFetch;
  await stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
