/**
 * Spend durability with a real process (API.md Part 1, "Spend durability"): after
 * `kill -9` during load and a restart, the database holds the cost of every call the
 * client saw succeed, each exactly once; SIGTERM flushes everything before exiting.
 *
 * A call is journaled before its response is written, never after (after could lose a
 * call the client saw). So a kill that lands between the two leaves a call the upstream
 * completed, and billed, counted although its answer died with the process: at most
 * the calls in flight at the kill, one per client connection. Those are counted too,
 * as the provider charged for them; nothing else is.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/database.ts";
import { createStore } from "../../src/db/store/index.ts";
import { createTestDatabase, type Dialect, postgresAvailable, type TestDatabase } from "../support/databases.ts";
import { completionTokens, type MockOpenAI, promptTokens, startMockOpenAI } from "../support/mock-openai.ts";

const MASTER = "sk-crash-test-master";
const MAIN = join(import.meta.dir, "..", "..", "src", "main.ts");
const MESSAGES = [{ role: "user", content: "Hello" }];
const COST = promptTokens({ messages: MESSAGES }) * 0.000001 + completionTokens({ max_tokens: 4 }) * 0.001;

let mock: MockOpenAI;
beforeAll(() => {
  mock = startMockOpenAI();
});
afterAll(() => mock.close());

interface Running {
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
}

/** Starts `bun src/main.ts` and waits for its "listening on" line. */
async function start(dir: string, db: TestDatabase): Promise<Running> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TOLLGATE_JOURNAL_DIR: join(dir, "journal") };
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  const proc = Bun.spawn(["bun", MAIN, "--config", join(dir, "config.yaml"), "--port", "0", "--host", "127.0.0.1", "--db", db.sqlitePath || join(dir, "unused.db")], {
    env,
    stdout: "ignore",
    stderr: "pipe",
  });
  const reader = proc.stderr.getReader();
  let text = "";
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const port = /listening on http:\/\/[^:]+:(\d+)/.exec(text)?.[1];
    if (port) {
      reader.releaseLock();
      return { url: `http://127.0.0.1:${port}`, proc };
    }
  }
  proc.kill(9);
  throw new Error(`tollgate did not start:\n${text}`);
}

const post = (url: string, path: string, key: string, body: unknown) =>
  fetch(url + path, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });

async function storedKeySpend(db: TestDatabase, token: string): Promise<number> {
  const database = openDatabase({ databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath, poolSize: 1 });
  try {
    return (await createStore(database).getKey(token))?.spend ?? -1;
  } finally {
    await database.close();
  }
}

for (const dialect of ["sqlite", "postgres"] as Dialect[]) {
  const run = dialect === "postgres" && !postgresAvailable ? describe.skip : describe;
  run(`spend survives the process [${dialect}]`, () => {
    let dir: string;
    let db: TestDatabase;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "tollgate-crash-"));
      db = await createTestDatabase(dialect);
      writeFileSync(
        join(dir, "config.yaml"),
        [
          "model_list:",
          "  - model_name: priced",
          "    litellm_params:",
          "      model: openai/priced",
          `      api_base: ${mock.url}/v1`,
          "      api_key: sk-upstream",
          "      input_cost_per_token: 0.000001",
          "      output_cost_per_token: 0.001",
          "general_settings:",
          `  master_key: ${MASTER}`,
          "  proxy_batch_write_at: 3600 # never flush on a timer: only SIGTERM or a replay may write",
        ].join("\n"),
      );
    });
    afterAll(async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test("kill -9 during load, then restart: every call the client saw succeed is counted exactly once", async () => {
      let gateway = await start(dir, db);
      const generated = (await (await post(gateway.url, "/key/generate", MASTER, {})).json()) as { key: string; token: string };

      // Four clients call in a loop; the process is killed mid-load, with calls in flight.
      let succeeded = 0;
      let cutByTheKill = 0;
      let killed = false;
      const client = async () => {
        while (!killed) {
          try {
            const res = await post(gateway.url, "/v1/chat/completions", generated.key, { model: "priced", messages: MESSAGES, max_tokens: 4 });
            if (res.status === 200 && (await res.json())) succeeded++;
          } catch {
            cutByTheKill++;
            return; // the connection died with the process
          }
          if (succeeded >= 25 && !killed) {
            killed = true;
            gateway.proc.kill(9);
          }
        }
      };
      await Promise.all([client(), client(), client(), client()]);
      await gateway.proc.exited;
      expect(succeeded).toBeGreaterThan(0);
      expect(await storedKeySpend(db, generated.token)).toBe(0); // nothing was flushed before the crash

      gateway = await start(dir, db); // replays the journal
      const replayed = await storedKeySpend(db, generated.token);
      gateway.proc.kill("SIGTERM");
      await gateway.proc.exited;
      // Whole calls only: every success the client saw, plus at most the calls cut by the kill.
      const counted = Math.round(replayed / COST);
      expect(replayed).toBeCloseTo(counted * COST, 9);
      expect(counted).toBeGreaterThanOrEqual(succeeded);
      expect(counted).toBeLessThanOrEqual(succeeded + cutByTheKill);
      expect(cutByTheKill).toBeLessThanOrEqual(4);

      gateway = await start(dir, db); // nothing left to replay: no double count
      gateway.proc.kill("SIGTERM");
      expect(await gateway.proc.exited).toBe(0);
      expect(await storedKeySpend(db, generated.token)).toBeCloseTo(replayed, 12);
    }, 30_000);

    test("SIGTERM flushes all recorded spend before exiting 0", async () => {
      const gateway = await start(dir, db);
      const generated = (await (await post(gateway.url, "/key/generate", MASTER, {})).json()) as { key: string; token: string };
      for (let i = 0; i < 5; i++) {
        expect((await post(gateway.url, "/v1/chat/completions", generated.key, { model: "priced", messages: MESSAGES, max_tokens: 4 })).status).toBe(200);
      }
      gateway.proc.kill("SIGTERM");
      expect(await gateway.proc.exited).toBe(0);
      expect(await storedKeySpend(db, generated.token)).toBeCloseTo(5 * COST, 9);
    }, 20_000);
  });
}
