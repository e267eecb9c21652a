/**
 * The money side, built once from the config: prices, the ledger that records every
 * call (when a journal directory is given), budget admission and the rate limiter.
 */
import type { Config } from "../config/index.ts";
import type { OpenOptions } from "../db/database.ts";
import type { Store } from "../db/store/index.ts";
import { createLimitStore, createRateLimiter, type LimitStore, rateLimitWindowFromEnv, redisUrlFromConfig } from "../limits/index.ts";
import type { Logger } from "../log.ts";
import type { Deployment } from "../proxy/types.ts";
import type { ResetResult } from "../db/store/budget-windows.ts";
import { createBudgetWindows } from "./budget-windows.ts";
import { BudgetGuard } from "./budgets.ts";
import { ModelBudgets } from "./model-budgets.ts";
import { startFlushWorker } from "./flush-worker.ts";
import { Journal } from "./journal.ts";
import { Ledger } from "./ledger.ts";
import type { JournaledEntry } from "./ledger-entry.ts";
import { createCostCalculator, isFreeModel, loadPriceMap, resolvePriceMapPath } from "./prices/index.ts";
import type { SpendRecorder } from "./settlement.ts";

export interface SpendingOptions {
  config: Config;
  store: Store;
  deployments: ReadonlyMap<string, readonly Deployment[]>;
  env: Record<string, string | undefined>;
  log: Logger;
  /** Where this instance journals settled calls; null = no ledger (calls go to `recorder`). */
  journalDir: string | null;
  /** The database, for the flush worker's own connection; null = flushes run on this thread. */
  flushDatabase: OpenOptions | null;
  /** Used instead of the ledger when there is none (tests record calls with it). */
  recorder?: SpendRecorder;
  /** Directory relative price-map paths resolve against. */
  configDir: string;
  /** Overrides the limit store (tests); default memory, or Redis when configured. */
  limitStore?: LimitStore;
  /** Told which entities a budget window reset touched (their cached rows are stale). */
  onBudgetReset: (result: ResetResult) => void;
}

/** How often ended budget windows are looked for; the request path also asks as soon as it sees one. */
const SWEEP_INTERVAL_MS = 10_000;

/** `proxy_batch_write_at`: tollgate flushes every second unless told otherwise (API.md Part 1). */
const DEFAULT_FLUSH_SECONDS = 1;

export function createSpending(options: SpendingOptions) {
  const { config, store, log, env } = options;
  const general = config.general_settings ?? {};
  const priceMap = loadPriceMap({
    path: resolvePriceMapPath({ env, setting: config.litellm_settings?.model_cost_map_path, baseDir: options.configDir }),
    warn: (m) => log.warn(m),
  });
  const deployments = [...options.deployments.values()].flat();
  // Prices come from the config, so which groups are free is known once, not per call.
  const freeGroups = new Set([...options.deployments].filter(([, list]) => isFreeModel(list)).map(([group]) => group));
  const calculator = createCostCalculator({ priceMap, deployments, warn: (m) => log.warn(m) });

  let budgets: BudgetGuard | null = null;
  let modelBudgets: ModelBudgets | null = null;
  const flushWorker = options.journalDir && options.flushDatabase ? startFlushWorker(options.flushDatabase, log) : null;
  const ledger = options.journalDir
    ? new Ledger({
        store,
        journal: new Journal<JournaledEntry>(options.journalDir),
        price: (call) => calculator.cost(call).cost,
        writeSpendLogs: general.disable_spend_logs !== true,
        applyFlush: flushWorker?.apply,
        log,
        onFlushed: (applied, keyModels) => {
          budgets?.onFlushed(applied);
          modelBudgets?.onFlushed(keyModels);
        },
      })
    : null;
  budgets = new BudgetGuard({ store, unflushed: (entity, id) => ledger?.unflushed(entity, id) ?? 0, log });
  modelBudgets = new ModelBudgets(store, (token, group) => ledger?.unflushedKeyModel(token, group) ?? 0);
  const windows = createBudgetWindows({
    store,
    budgets,
    flush: async () => {
      await ledger?.flush();
    },
    onReset: options.onBudgetReset,
    timeZone: config.litellm_settings?.timezone ?? "UTC",
    defaultCustomerBudgetId: config.litellm_settings?.max_end_user_budget_id ?? null,
    log,
  });

  const limitStore = options.limitStore ?? createLimitStore({ redisUrl: redisUrlFromConfig(config, env), log });
  const limiter = createRateLimiter({
    store: limitStore,
    windowSeconds: rateLimitWindowFromEnv(env),
    tokenRateLimitType: general.token_rate_limit_type,
    log,
  });

  const flushMs = (general.proxy_batch_write_at ?? DEFAULT_FLUSH_SECONDS) * 1000;
  let timer: ReturnType<typeof setInterval> | null = null;

  return {
    calculator,
    ledger,
    budgets,
    modelBudgets,
    windows,
    limiter,
    recorder: ledger ?? options.recorder,
    isFree: (group: string) => freeGroups.has(group),

    /** Replays what a crash left in the journal, then flushes on the configured interval. */
    async start(): Promise<void> {
      if (general.disable_reset_budget !== true) {
        await windows.sweep();
        windows.start(SWEEP_INTERVAL_MS);
      }
      if (!ledger) return;
      const replayed = await ledger.replay();
      if (replayed > 0) log.info(`spend journal: replayed ${replayed} calls not yet in the database`);
      timer = setInterval(() => void ledger.flush(), flushMs);
      timer.unref?.();
    },

    /** Flushes everything recorded and closes the journal and the limit store. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      windows.stop();
      if (ledger) {
        await ledger.flush();
        ledger.close();
      }
      await flushWorker?.close();
      await limitStore.close();
    },
  };
}

export type Spending = ReturnType<typeof createSpending>;
