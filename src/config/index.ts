export { ConfigError } from "./config-error.ts";
export { loadConfig, type LoadConfigOptions } from "./load.ts";
export { resolveSettings, type RuntimeSettings, type SettingsFlags } from "./settings.ts";
export type {
  Config,
  ConfigFile,
  GeneralSettings,
  LitellmParams,
  LitellmSettings,
  ModelDeployment,
  ModelInfo,
  RouterSettings,
  RoutingStrategy,
} from "./schema.ts";
