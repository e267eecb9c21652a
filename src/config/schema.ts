/**
 * TypeBox schema of LiteLLM's `config.yaml`, and the TypeScript types derived from it.
 * Every section is optional: an empty file is a valid config. Values are validated as
 * written; a string where a number belongs (`rpm: "100"`) is an error, not coerced. The
 * one exception is an `os.environ/NAME` reference, whose value can only arrive as text
 * and is converted to the field's type (see `env-refs.ts`).
 */
import { Type, type Static } from "@sinclair/typebox";
import { ModelDeploymentSchema, type LitellmParamsSchema, type ModelInfoSchema } from "./schema/deployment.ts";
import { GeneralSettingsSchema } from "./schema/general-settings.ts";
import { LitellmSettingsSchema } from "./schema/litellm-settings.ts";
import { RouterSettingsSchema } from "./schema/router-settings.ts";
import { section } from "./schema/fields.ts";

export { ModelDeploymentSchema, LitellmParamsSchema, ModelInfoSchema } from "./schema/deployment.ts";
export { GeneralSettingsSchema } from "./schema/general-settings.ts";
export { LitellmSettingsSchema } from "./schema/litellm-settings.ts";
export { RouterSettingsSchema, ROUTING_STRATEGIES, type RoutingStrategy } from "./schema/router-settings.ts";

/** Exported into the process environment before `os.environ/` references are resolved. */
export const EnvironmentVariablesSchema = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
);

export const ConfigSchema = section({
  model_list: Type.Optional(Type.Array(ModelDeploymentSchema)),
  general_settings: Type.Optional(GeneralSettingsSchema),
  litellm_settings: Type.Optional(LitellmSettingsSchema),
  router_settings: Type.Optional(RouterSettingsSchema),
  environment_variables: Type.Optional(EnvironmentVariablesSchema),
});

/** Provider params: the typed keys plus any extra ones, which are forwarded to the provider. */
export type LitellmParams = Static<typeof LitellmParamsSchema> & Record<string, unknown>;
export type ModelInfo = Static<typeof ModelInfoSchema> & Record<string, unknown>;

export type ModelDeployment = Omit<Static<typeof ModelDeploymentSchema>, "litellm_params" | "model_info"> & {
  litellm_params: LitellmParams;
  model_info?: ModelInfo;
};

export type GeneralSettings = Static<typeof GeneralSettingsSchema>;
export type LitellmSettings = Static<typeof LitellmSettingsSchema>;
export type RouterSettings = Static<typeof RouterSettingsSchema>;
export type EnvironmentVariables = Static<typeof EnvironmentVariablesSchema>;

/** The file as validated: every section optional. */
export type ConfigFile = Static<typeof ConfigSchema>;

/**
 * The loaded config, as `loadConfig` returns it: deep-frozen, `model_list` always present.
 * Unknown keys the file carried are still on the objects (warned about, otherwise ignored).
 */
export type Config = Omit<ConfigFile, "model_list"> & { model_list: ModelDeployment[] };
