/** Builds the proxy from the config: deployments, router, model catalog, routes. */
import { buildModelCatalog } from "../auth/model-access.ts";
import type { Principal } from "../auth/principal.ts";
import type { Config } from "../config/index.ts";
import type { Logger } from "../log.ts";
import type { SpendRecorder } from "../spend/settlement.ts";
import type { AdmissionDeps } from "./admission.ts";
import { createCompletionHandler } from "./completions.ts";
import { createHealthCheck } from "./health-check.ts";
import { createModelListings } from "./model-info.ts";
import { createRouter } from "./router/execute.ts";
import { proxyRoutes } from "./routes.ts";
import type { Deployment } from "./types.ts";

export interface ProxyOptions {
  config: Config;
  /** Deployments by model group (see deployments.ts). */
  groups: ReadonlyMap<string, readonly Deployment[]>;
  authenticate: (request: Request, path: string) => Promise<Principal | null>;
  admission: AdmissionDeps;
  spend: SpendRecorder;
  log: Logger;
}

export function createProxy(options: ProxyOptions) {
  const { config, log, groups } = options;
  const catalog = buildModelCatalog(config);
  const router = createRouter({
    groups,
    routerSettings: config.router_settings,
    litellmSettings: config.litellm_settings,
    warn: (message) => log.warn(message),
  });
  const listings = createModelListings(catalog, groups, (d) => options.admission.calculator.priceFor({ deploymentId: d.id, model: d.model, provider: d.provider }));
  const handle = createCompletionHandler({
    authenticate: options.authenticate,
    catalog,
    groups,
    router,
    admission: options.admission,
    spend: options.spend,
    dropParams: config.litellm_settings?.drop_params === true,
    userHeaderName: config.general_settings?.user_header_name ?? null,
    storePrompts: config.general_settings?.store_prompts_in_spend_logs === true,
    log,
  });
  return {
    router,
    routes: proxyRoutes({ handle, authenticate: options.authenticate, listings, healthCheck: createHealthCheck(listings, groups) }),
  };
}
