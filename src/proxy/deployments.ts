/**
 * Turns `model_list` into deployments, once at start-up: provider from the model
 * prefix (or `custom_llm_provider`, or inferred for bare names), base URL and key
 * from the entry, else the provider's environment variables, else its defaults. A
 * deployment that cannot be called (unknown provider, no base URL where one is
 * required) stops start-up with its position in model_list.
 */
import { inferProvider } from "../auth/model-access.ts";
import { ConfigError, type Config, type ModelDeployment } from "../config/index.ts";
import { DEFAULT_AZURE_API_VERSION } from "./providers/azure.ts";
import { isKnownProvider, providerInfo } from "./providers/registry.ts";
import type { Deployment } from "./types.ts";

type Env = Record<string, string | undefined>;

const first = (env: Env, names: readonly string[] | undefined) => names?.map((n) => env[n]).find((v) => v !== undefined && v !== "");

function splitModel(entry: ModelDeployment): { provider: string; model: string } {
  const { model, custom_llm_provider, api_base } = entry.litellm_params;
  const slash = model.indexOf("/");
  const prefix = slash === -1 ? null : model.slice(0, slash);
  if (custom_llm_provider) return { provider: custom_llm_provider, model: prefix === custom_llm_provider ? model.slice(slash + 1) : model };
  if (prefix !== null && isKnownProvider(prefix)) return { provider: prefix, model: model.slice(slash + 1) };
  if (model === "*") return { provider: "openai", model: "*" };
  // A bare name: LiteLLM infers the provider from known model names, or treats a
  // deployment with its own api_base as an OpenAI-compatible server.
  const inferred = inferProvider(model);
  if (inferred && isKnownProvider(inferred)) return { provider: inferred, model };
  if (api_base) return { provider: "openai_compatible", model };
  return { provider: prefix ?? "unknown", model: prefix === null ? model : model.slice(slash + 1) };
}

/** A stable id for a deployment without `model_info.id`: it survives restarts and config reordering. */
function stableId(entry: ModelDeployment): string {
  const { api_key: _secret, ...params } = entry.litellm_params;
  return new Bun.CryptoHasher("sha256").update(JSON.stringify([entry.model_name, params])).digest("hex").slice(0, 32);
}

export function resolveDeployments(config: Config, env: Env): Deployment[] {
  return config.model_list.map((entry, index) => {
    const where = `model_list[${index}] (${entry.model_name})`;
    const { provider, model } = splitModel(entry);
    const info = providerInfo(provider);
    if (!info) throw new ConfigError(`${where}: unknown provider "${provider}" in litellm_params.model "${entry.litellm_params.model}"`);
    const rawBase = entry.litellm_params.api_base ?? first(env, info.apiBaseEnv) ?? info.defaultApiBase;
    if (!rawBase) throw new ConfigError(`${where}: provider "${provider}" needs litellm_params.api_base`);
    let apiBase = rawBase.replace(/\/+$/, "");
    if (info.appendV1 && !/\/v1$/.test(apiBase)) apiBase += "/v1";
    return Object.freeze({
      id: entry.model_info?.id ?? stableId(entry),
      modelName: entry.model_name,
      provider,
      model: model.endsWith("/*") || model === "*" ? "*" : model,
      apiBase,
      apiKey: entry.litellm_params.api_key ?? first(env, info.apiKeyEnv) ?? null,
      apiVersion: provider === "azure" ? (entry.litellm_params.api_version ?? env.AZURE_API_VERSION ?? DEFAULT_AZURE_API_VERSION) : (entry.litellm_params.api_version ?? null),
      params: entry.litellm_params,
      modelInfo: entry.model_info ?? {},
    });
  });
}

/** Deployments by model group, in config order. */
export function groupDeployments(deployments: readonly Deployment[]): Map<string, Deployment[]> {
  const groups = new Map<string, Deployment[]>();
  for (const d of deployments) {
    const list = groups.get(d.modelName);
    if (list) list.push(d);
    else groups.set(d.modelName, [d]);
  }
  return groups;
}
