/**
 * Starts the real app over real HTTP on a fresh database, once per dialect:
 *
 *   describeStores("key generate", (h) => {
 *     test("…", async () => { const res = await h().post("/key/generate", {}, MASTER); … });
 *   });
 */
import { afterAll, beforeAll, describe } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.ts";
import type { Config } from "../../src/config/index.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { createStore, type Store } from "../../src/db/store/index.ts";
import type { OperatorHooks } from "../../src/hooks/types.ts";
import type { LimitStore } from "../../src/limits/index.ts";
import { type Logger, silentLogger } from "../../src/log.ts";
import type { LiveSpend } from "../../src/management/live-spend.ts";
import type { SpendRecorder } from "../../src/spend/settlement.ts";
import { createTestDatabase, type Dialect, postgresAvailable, type TestDatabase } from "./databases.ts";

export const MASTER_KEY = "sk-test-master-key-1234";

// Response bodies are JSON that tests inspect freely; `any` stays inside the tests.
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface HarnessOptions {
  config?: Partial<Config>;
  masterKey?: string | null;
  env?: Record<string, string | undefined>;
  /** Receives every settled call (see test/support/spend.ts for a recorder). */
  spend?: SpendRecorder;
  /** Unflushed spend the team and customer routes add to the stored numbers. */
  liveSpend?: LiveSpend;
  /** Rate-limit counters (default: in memory). */
  limitStore?: LimitStore;
  /** Where the app logs (default: nowhere). */
  log?: Logger;
  /** Operator hooks (see src/hooks). */
  hooks?: OperatorHooks;
  /** Share another harness's database (a second instance); the owner drops it. */
  shareDatabaseOf?: Harness;
}

export class Harness {
  private constructor(
    readonly dialect: Dialect,
    readonly url: string,
    readonly store: Store,
    readonly database: Database,
    readonly testDb: TestDatabase,
    private readonly stopServer: () => Promise<void>,
  ) {}

  static async start(dialect: Dialect, options: HarnessOptions = {}): Promise<Harness> {
    const owner = options.shareDatabaseOf;
    const testDb = owner ? { ...owner.testDb, drop: async () => {} } : await createTestDatabase(dialect);
    const location = { databaseUrl: testDb.databaseUrl, sqlitePath: testDb.sqlitePath };
    const database = openDatabase({ ...location, poolSize: 4 });
    await database.migrate();
    const store = createStore(database);
    const config = { model_list: [], ...options.config } as Config;
    // A real ledger journals every call, unless the test records calls itself.
    const journalDir = options.spend ? null : mkdtempSync(join(tmpdir(), "tollgate-journal-"));
    const { app, start } = createApp({
      config,
      store,
      masterKey: options.masterKey === undefined ? MASTER_KEY : options.masterKey,
      log: options.log ?? silentLogger,
      env: options.env ?? {},
      spend: options.spend,
      liveSpend: options.liveSpend,
      journalDir,
      // Flushes run on the flush worker, as in the binary.
      database: location,
      limitStore: options.limitStore,
      hooks: options.hooks,
    });
    const stopBackground = await start();
    app.listen({ port: 0, hostname: "127.0.0.1" });
    const url = `http://127.0.0.1:${app.server!.port}`;
    return new Harness(dialect, url, store, database, testDb, async () => {
      await app.stop(true);
      await stopBackground();
      if (journalDir) rmSync(journalDir, { recursive: true, force: true });
    });
  }

  async request<T = any>(method: string, path: string, options: { body?: unknown; key?: string | null; headers?: Record<string, string>; rawBody?: string } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string, key: string | null = MASTER_KEY) {
    return this.request<T>("GET", path, { key });
  }

  post<T = any>(path: string, body: unknown, key: string | null = MASTER_KEY) {
    return this.request<T>("POST", path, { body, key });
  }

  async stop(): Promise<void> {
    await this.stopServer();
    await this.database.close();
    await this.testDb.drop();
  }
}

/**
 * Runs `suite` once on SQLite and once on Postgres, each with its own server and database.
 * `options` may be a function, called in `beforeAll`, for configs that depend on something
 * started by an earlier hook (e.g. a mock upstream's URL).
 */
export function describeStores(title: string, suite: (h: () => Harness) => void, options: HarnessOptions | (() => HarnessOptions | Promise<HarnessOptions>) = {}): void {
  for (const dialect of ["sqlite", "postgres"] as const) {
    const run = dialect === "postgres" && !postgresAvailable ? describe.skip : describe;
    run(`${title} [${dialect}]`, () => {
      let harness: Harness | undefined;
      beforeAll(async () => {
        harness = await Harness.start(dialect, typeof options === "function" ? await options() : options);
      });
      afterAll(async () => {
        await harness?.stop();
      });
      suite(() => {
        if (!harness) throw new Error("harness not started");
        return harness;
      });
    });
  }
}
