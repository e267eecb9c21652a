/**
 * Composition root: builds the Elysia app from its parts. Nothing here is global, so
 * a test can build as many apps as it likes, each with its own store and config.
 */
import { Elysia } from "elysia";
import { createAuthenticator } from "./auth/authenticate.ts";
import { createKeyExtractor, type ExtractedKey } from "./auth/extract-key.ts";
import { cacheInvalidator, sharedInvalidator } from "./auth/invalidation.ts";
import { KeyCache } from "./auth/key-cache.ts";
import type { CachedKey } from "./auth/principal.ts";
import { isRouteAllowed } from "./auth/routes.ts";
import { keyFromSessionCookie } from "./auth/session-cookie.ts";
import type { Config } from "./config/index.ts";
import type { OpenOptions } from "./db/database.ts";
import type { Store } from "./db/store/index.ts";
import { memberOf } from "./db/store/spend.ts";
import { ApiError, toApiError } from "./errors.ts";
import { docsRoutes } from "./docs/routes.ts";
import { healthRoutes } from "./health/routes.ts";
import type { Logger } from "./log.ts";
import { budgetRoutes } from "./management/budgets/routes.ts";
import { createBudgetService } from "./management/budgets/service.ts";
import { customerRoutes } from "./management/customers/routes.ts";
import { createCustomerService } from "./management/customers/service.ts";
import { managementGuard } from "./management/guard.ts";
import { createKeyListing } from "./management/keys/listing.ts";
import { keyRoutes } from "./management/keys/routes.ts";
import { createCustomAuthenticator } from "./hooks/custom-auth.ts";
import { NO_HOOKS, type OperatorHooks } from "./hooks/types.ts";
import { createKeyGeneratePolicy } from "./management/keys/generate-policy.ts";
import { createKeyService } from "./management/keys/service.ts";
import { type LiveSpend, ledgerLiveSpend, NO_LIVE_SPEND } from "./management/live-spend.ts";
import { createTeamListing } from "./management/teams/listing.ts";
import { createTeamLookup } from "./management/teams/lookup.ts";
import { createTeamMemberService } from "./management/teams/members.ts";
import { teamRoutes } from "./management/teams/routes.ts";
import { createTeamService } from "./management/teams/service.ts";
import { spendRoutes } from "./management/spend/routes.ts";
import { createSpendService } from "./management/spend/service.ts";
import { userRoutes } from "./management/users/routes.ts";
import { createUserService } from "./management/users/service.ts";
import type { LimitStore } from "./limits/index.ts";
import { groupDeployments, resolveDeployments } from "./proxy/deployments.ts";
import { createCustomerPolicies } from "./proxy/customers.ts";
import { createProxy } from "./proxy/index.ts";
import { createSpending } from "./spend/index.ts";
import { discardSpend, type SpendRecorder } from "./spend/settlement.ts";
import { uiRoutes } from "./ui/routes.ts";

export interface AppOptions {
  config: Config;
  store: Store;
  masterKey: string | null;
  log: Logger;
  /** Where settled calls go; the ledger once budgets are configured. */
  spend?: SpendRecorder;
  /** This instance's spend journal; with it, calls are recorded by the ledger (see src/spend). */
  journalDir?: string | null;
  /** Where the database is, so the ledger flushes on a worker with its own connection; without it, on this thread. */
  database?: OpenOptions;
  /** Directory that relative paths in the config resolve against. */
  configDir?: string;
  /** Rate-limit counters; default in memory, or Redis when configured. */
  limitStore?: LimitStore;
  /** Operator hooks loaded from the config (see src/hooks). */
  hooks?: OperatorHooks;
  /** Spend not yet flushed to the DB, shown by the team and customer routes; none by default. */
  liveSpend?: LiveSpend;
  env?: Record<string, string | undefined>;
  now?: () => Date;
}

/** Management bodies are small; this stops 1 MB strings before they are parsed. */
const MANAGEMENT_BODY_LIMIT = 512 * 1024;

export function createApp(options: AppOptions) {
  const { config, store, log } = options;
  const general = config.general_settings ?? {};
  const litellm = config.litellm_settings ?? {};
  const env = options.env ?? process.env;
  const timeZone = litellm.timezone ?? "UTC";

  const keyCache = new KeyCache<CachedKey>({
    ttlMs: (general.user_api_key_cache_ttl ?? 60) * 1000,
    negativeTtlMs: 5_000,
    maxEntries: 100_000,
  });
  const customerPolicies = createCustomerPolicies(store, {
    budgetId: litellm.max_end_user_budget_id ?? null,
    maxBudget: litellm.max_end_user_budget ?? null,
  });
  const shared = sharedInvalidator(cacheInvalidator(keyCache, customerPolicies), store, (err) => log.warn("cache invalidation message failed", { error: String(err) }));
  const invalidate = shared.invalidator;
  const authenticate = createAuthenticator({
    store,
    cache: keyCache,
    masterKey: options.masterKey,
    adminUserId: general.litellm_proxy_admin_name ?? "default_user_id",
    now: options.now,
  });
  const extractKey = createKeyExtractor(general.litellm_key_header_name ?? null);
  const hooks = options.hooks ?? NO_HOOKS;
  const customAuth = hooks.customAuth
    ? createCustomAuthenticator({ hook: hooks.customAuth, runCommonChecks: hooks.customAuthRunCommonChecks, timeoutMs: hooks.timeoutMs })
    : null;
  const authenticateCredential = (request: Request, credential: ExtractedKey, path: string) =>
    customAuth ? customAuth(request, credential) : authenticate(credential, path);
  // A key in a header wins; only a request with none falls back to the admin UI's session cookie.
  const credentialOf = (request: Request): ExtractedKey => {
    const fromHeaders = extractKey(request.headers);
    return fromHeaders.ok || fromHeaders.reason === "malformed" ? fromHeaders : (keyFromSessionCookie(request) ?? fromHeaders);
  };
  const resolvePrincipal = (request: Request, path: string) => authenticateCredential(request, credentialOf(request), path);
  const managementEnabled = options.masterKey !== null || customAuth !== null;
  const guard = managementGuard({ resolve: resolvePrincipal, enabled: managementEnabled });
  // Without a master key LiteLLM lets every model call through unauthenticated; so does tollgate.
  const proxyAuth = async (request: Request, path: string) => (options.masterKey === null && !customAuth ? null : resolvePrincipal(request, path));
  const groups = groupDeployments(resolveDeployments(config, env));
  const spending = createSpending({
    config,
    store,
    deployments: groups,
    env,
    log,
    journalDir: options.journalDir ?? null,
    flushDatabase: options.database ?? null,
    recorder: options.spend,
    configDir: options.configDir ?? process.cwd(),
    limitStore: options.limitStore,
    onBudgetReset: (reset) => {
      invalidate.keys(reset.keys);
      invalidate.users(reset.users);
      invalidate.teams(reset.teams);
      invalidate.customers(reset.customers);
      // Memberships are cached with their team's keys.
      invalidate.teams([...new Set(reset.members.map((m) => memberOf(m).team))]);
    },
  });
  const proxy = createProxy({
    config,
    groups,
    authenticate: proxyAuth,
    admission: { budgets: spending.budgets, modelBudgets: spending.modelBudgets, windows: spending.windows, limiter: spending.limiter, calculator: spending.calculator, isFree: spending.isFree, customers: customerPolicies },
    spend: spending.recorder ?? discardSpend,
    log,
  });

  const liveSpend = options.liveSpend ?? (spending.ledger ? ledgerLiveSpend((entity, id) => spending.ledger!.unflushed(entity, id)) : NO_LIVE_SPEND);
  const keys = createKeyService({
    store,
    invalidate,
    liveSpend,
    policy: createKeyGeneratePolicy(litellm),
    hooks,
    timeZone,
    defaultGracePeriod: env.LITELLM_KEY_ROTATION_GRACE_PERIOD || null,
    now: options.now,
  });
  const users = createUserService({ store, keys, invalidate, liveSpend, timeZone, defaults: litellm, now: options.now });
  const teamLookup = createTeamLookup(store, liveSpend);
  const teams = createTeamService({ store, lookup: teamLookup, invalidate, timeZone, now: options.now });
  const teamMembers = createTeamMemberService({ store, lookup: teamLookup, invalidate, now: options.now });
  const customers = createCustomerService({
    store,
    invalidate,
    timeZone,
    modelGroups: [...new Set(config.model_list.map((d) => d.model_name))],
    liveSpend,
    now: options.now,
  });
  const budgets = createBudgetService({ store, invalidate, timeZone, now: options.now });
  const spendReports = createSpendService({
    store,
    calculator: spending.calculator,
    deployments: groups,
    maxBudget: litellm.max_budget,
    liveSpend,
    flushPending: async () => {
      await spending.ledger?.flush();
    },
    // A reset starts the budget guard's stored spend again from zero.
    onReset: ({ keys, teams }) => {
      for (const token of keys) spending.budgets.resetBase("keys", token);
      for (const teamId of teams) spending.budgets.resetBase("teams", teamId);
    },
    now: options.now,
  });

  // normalize: false — Elysia's normaliser turns a string sent where an object is
  // expected into {"0": …}; with it off a wrong type is a 422, as it should be.
  // Services read only the fields they know, so unknown fields are ignored either way.
  const app = new Elysia({ normalize: false })
    .onRequest(({ request }) => {
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > MANAGEMENT_BODY_LIMIT && isRouteAllowed(["management_routes"], new URL(request.url).pathname)) {
        return new ApiError("payload_too_large", `Request body too large: ${length} bytes; management requests are limited to ${MANAGEMENT_BODY_LIMIT} bytes.`).toResponse();
      }
    })
    .onError(({ code, error, request }) => {
      const apiError = toApiError(error, code);
      if (apiError.status >= 500) log.error("request failed", { path: new URL(request.url).pathname, error: String(error) });
      return apiError.toResponse();
    })
    .use(docsRoutes())
    .use(healthRoutes(store))
    .use(keyRoutes({ guard, keys, listing: createKeyListing(store, liveSpend) }))
    .use(userRoutes({ guard, users }))
    .use(teamRoutes({ guard, teams, members: teamMembers, listing: createTeamListing(store, teamLookup) }))
    .use(customerRoutes({ guard, customers }))
    .use(budgetRoutes({ guard, budgets }))
    .use(spendRoutes({ guard, spend: spendReports }))
    .use(
      uiRoutes({
        authenticate: (request, credential) => authenticateCredential(request, credential, "/ui/session"),
        resolve: (request) => resolvePrincipal(request, "/ui/session"),
        enabled: managementEnabled,
      }),
    )
    .use(proxy.routes);

  return {
    app,
    keyCache,
    invalidate,
    router: proxy.router,
    /** Listens for other instances' cache invalidations; await before serving. */
    spending,
    /**
     * Starts what runs beside request handling: other instances' cache invalidations
     * and the ledger (journal replay, periodic flush). Await before serving; the
     * returned function stops both, flushing all recorded spend.
     */
    async start(): Promise<() => Promise<void>> {
      const unlisten = await shared.subscribe();
      await spending.start();
      return async () => {
        await unlisten();
        await spending.stop();
      };
    },
  };
}
