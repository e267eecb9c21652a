#!/usr/bin/env bun
/**
 * The tollgate command: parse flags, load config, open the store, serve, and shut
 * down cleanly on SIGTERM/SIGINT (stop accepting, let in-flight requests finish for a
 * bounded time, close the database, exit 0).
 */
import { parseArgs } from "node:util";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig, resolveSettings } from "./config/index.ts";
import { openDatabase } from "./db/database.ts";
import { createStore } from "./db/store/index.ts";
import { loadOperatorHooks } from "./hooks/index.ts";
import { createLogger } from "./log.ts";
import { VERSION } from "./version.ts";

const USAGE = `tollgate ${VERSION} — LLM gateway with virtual keys (LiteLLM proxy compatible)

Usage: tollgate [--config <file>] [--port 4000] [--host 0.0.0.0] [--db <sqlite path>] [--no-migrate]

Options:
  --config <file>   LiteLLM-style config.yaml (model_list, general_settings, …)
  --port <n>        port to listen on (env PORT; default 4000)
  --host <addr>     address to bind (default 0.0.0.0)
  --db <path>       SQLite file when no DATABASE_URL is set (env TOLLGATE_DB_PATH; default ./tollgate.db)
  --no-migrate      do not apply database migrations at start-up
  --help, --version

Environment: DATABASE_URL (Postgres), LITELLM_MASTER_KEY, PORT, TOLLGATE_DB_PATH,
  TOLLGATE_JOURNAL_DIR (spend journal; default <db>.journal, or ./tollgate-journal with Postgres),
  REDIS_URL (shared rate limits), LITELLM_MODEL_COST_MAP_PATH (price overrides).
`;

/** How long in-flight requests may take to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      db: { type: "string" },
      "no-migrate": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`tollgate ${VERSION}\n`);
    return 0;
  }

  // Listen for signals before anything slow: a stop requested during start-up is
  // honoured once the server is up. A second signal gets the default (immediate) exit.
  const stopRequested = new Promise<string>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });

  const started = performance.now();
  const config = loadConfig({ path: values.config });
  const log = createLogger({ json: config.litellm_settings?.json_logs === true || process.env.JSON_LOGS === "true" });
  const settings = resolveSettings(config, { config: values.config, port: values.port, host: values.host, db: values.db, noMigrate: values["no-migrate"] }, process.env);

  const hooks = await loadOperatorHooks(config, settings.configDir, process.env);
  const location = { databaseUrl: settings.databaseUrl, sqlitePath: settings.sqlitePath };
  const database = openDatabase({ ...location, poolSize: config.general_settings?.database_connection_pool_limit });
  if (settings.migrate) await database.migrate();
  const store = createStore(database);
  const journalDir = process.env.TOLLGATE_JOURNAL_DIR || (settings.databaseUrl ? "./tollgate-journal" : `${settings.sqlitePath}.journal`);
  const { app, start } = createApp({ config, store, database: location, masterKey: settings.masterKey, log, journalDir, configDir: settings.configDir, hooks });
  const stopBackground = await start();
  app.listen({ port: settings.port, hostname: settings.host, maxRequestBodySize: 64 * 1024 * 1024 });

  const where = settings.databaseUrl ? "postgres" : `sqlite ${settings.sqlitePath}`;
  log.info(`tollgate ${VERSION} listening on http://${settings.host}:${app.server?.port} (${where}, ${config.model_list.length} deployments) in ${Math.round(performance.now() - started)} ms`);
  if (settings.masterKey === null) log.warn("no master key configured: management routes (/key/*, /user/*) are disabled");

  const signal = await stopRequested;
  log.info(`${signal} received: finishing in-flight requests`);
  const timedOut = Symbol("timeout");
  const outcome = await Promise.race([app.stop(false), Bun.sleep(SHUTDOWN_GRACE_MS).then(() => timedOut)]);
  if (outcome === timedOut) {
    log.warn(`in-flight requests still running after ${SHUTDOWN_GRACE_MS} ms: closing them`);
    await app.stop(true);
  }
  await stopBackground();
  await store.close();
  log.info("stopped");
  return 0;
}

main(Bun.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`tollgate: config error: ${err.message}\n`);
    else if (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS")) process.stderr.write(`tollgate: ${err.message}\n\n${USAGE}`);
    else process.stderr.write(`tollgate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
