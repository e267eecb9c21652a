/**
 * Composition root: builds the Elysia app from its parts. Nothing here is global, so
 * a test can build as many apps as it likes, each with its own store and config.
 */
import { Elysia } from "elysia";
import { createAuthenticator } from "./auth/authenticate.ts";
import { createKeyExtractor } from "./auth/extract-key.ts";
import { cacheInvalidator, sharedInvalidator } from "./auth/invalidation.ts";
import { KeyCache } from "./auth/key-cache.ts";
import type { CachedKey } from "./auth/principal.ts";
import { isRouteAllowed } from "./auth/routes.ts";
import type { Config } from "./config/index.ts";
import type { Store } from "./db/store/index.ts";
import { ApiError, toApiError } from "./errors.ts";
import { docsRoutes } from "./docs/routes.ts";
import { healthRoutes } from "./health/routes.ts";
import type { Logger } from "./log.ts";
import { managementGuard } from "./management/guard.ts";
import { createKeyListing } from "./management/keys/listing.ts";
import { keyRoutes } from "./management/keys/routes.ts";
import { createKeyService } from "./management/keys/service.ts";
import { userRoutes } from "./management/users/routes.ts";
import { createUserService } from "./management/users/service.ts";
import { createProxy } from "./proxy/index.ts";
import { discardSpend, type SpendRecorder } from "./spend/settlement.ts";

export interface AppOptions {
  config: Config;
  store: Store;
  masterKey: string | null;
  log: Logger;
  /** Where settled calls go; the ledger once budgets are configured. */
  spend?: SpendRecorder;
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
  const shared = sharedInvalidator(cacheInvalidator(keyCache), store, (err) => log.warn("cache invalidation message failed", { error: String(err) }));
  const invalidate = shared.invalidator;
  const authenticate = createAuthenticator({
    store,
    cache: keyCache,
    masterKey: options.masterKey,
    adminUserId: general.litellm_proxy_admin_name ?? "default_user_id",
    now: options.now,
  });
  const extractKey = createKeyExtractor(general.litellm_key_header_name ?? null);
  const guard = managementGuard({ authenticate, extractKey, masterKeyConfigured: options.masterKey !== null });
  // Without a master key LiteLLM lets every model call through unauthenticated; so does tollgate.
  const proxyAuth = async (request: Request, path: string) => (options.masterKey === null ? null : authenticate(extractKey(request.headers), path));
  const proxy = createProxy({ config, env, authenticate: proxyAuth, spend: options.spend ?? discardSpend, log });

  const keys = createKeyService({
    store,
    invalidate,
    timeZone,
    defaultGracePeriod: env.LITELLM_KEY_ROTATION_GRACE_PERIOD || null,
    now: options.now,
  });
  const users = createUserService({ store, keys, invalidate, timeZone, defaults: litellm, now: options.now });

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
    .use(keyRoutes({ guard, keys, listing: createKeyListing(store) }))
    .use(userRoutes({ guard, users }))
    .use(proxy.routes);

  return {
    app,
    keyCache,
    invalidate,
    router: proxy.router,
    /** Listens for other instances' cache invalidations; await before serving. */
    start: shared.subscribe,
  };
}
