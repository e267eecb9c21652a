/**
 * The model listings (API.md §2.6): /v1/models, /model/info, /model_group/info.
 * Each lists exactly what the caller may call; provider secrets never appear.
 */
import { listAllowedModels, type ModelCatalog } from "../auth/model-access.ts";
import type { Principal } from "../auth/principal.ts";
import { canReadAll } from "../auth/roles.ts";
import type { PriceEntry } from "../spend/prices/index.ts";
import type { Deployment } from "./types.ts";

/** LiteLLM answers a fixed `created` for every model; clients only need it present. */
const CREATED = 1677610602;

/**
 * litellm_params fields that hold credentials, however a provider names them
 * (api_key, azure_ad_token, aws_secret_access_key, aws_access_key_id,
 * vertex_credentials, …), but not prices or limits that merely mention tokens
 * (input_cost_per_token, cache_read_input_token_cost, max_tokens).
 */
const isSecretField = (name: string) => /secret|password|credential|auth/i.test(name) || (/(key|token|key_id)$/i.test(name) && !/_per_token$/i.test(name));

/** Header names that carry credentials when set in `extra_headers`. */
const SECRET_HEADER = /auth|key|token|secret|cookie|password|credential/i;

export function publicParams(deployment: Deployment): Record<string, unknown> {
  const params = Object.fromEntries(Object.entries(deployment.params).filter(([name]) => !isSecretField(name)));
  const headers = deployment.params.extra_headers;
  if (headers) params.extra_headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, SECRET_HEADER.test(name) ? "[redacted]" : value]));
  return params;
}

export interface ModelListings {
  /** Model group names the principal may call, in config order. */
  allowedGroups(principal: Principal | null): string[];
  openAIList(principal: Principal | null): { data: OpenAIModel[]; object: "list" };
  modelInfo(principal: Principal | null): { data: unknown[] };
  groupInfo(principal: Principal | null, group?: string): { data: unknown[] };
}

export interface OpenAIModel {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

/** The price that applies to a deployment (its own, or the price map's), as the spend module sees it. */
export type DeploymentPrice = (deployment: Deployment) => { key: string; price: PriceEntry } | null;

export function createModelListings(catalog: ModelCatalog, groups: ReadonlyMap<string, readonly Deployment[]>, priceOf: DeploymentPrice): ModelListings {
  const allowedGroups = (principal: Principal | null) =>
    listAllowedModels({ key: principal?.key ?? null, team: principal?.team ?? null, user: principal?.user ?? null, catalog });

  const deploymentsFor = (principal: Principal | null): Deployment[] => {
    if (principal && canReadAll(principal.role) && principal.key === null) return [...groups.values()].flat();
    return allowedGroups(principal).flatMap((g) => groups.get(g) ?? []);
  };

  return {
    allowedGroups,

    openAIList(principal) {
      return { data: allowedGroups(principal).map((id) => ({ id, object: "model", created: CREATED, owned_by: "openai" })), object: "list" };
    },

    modelInfo(principal) {
      return {
        // As LiteLLM: the model's price-map entry (what calls are charged at), then the
        // deployment's own model_info over it.
        data: deploymentsFor(principal).map((d) => {
          const match = priceOf(d);
          return {
            model_name: d.modelName,
            litellm_params: publicParams(d),
            model_info: {
              id: d.id,
              db_model: false,
              key: match?.key ?? null,
              ...match?.price,
              mode: d.modelInfo.mode ?? match?.price.mode ?? "chat",
              litellm_provider: d.provider,
              ...d.modelInfo,
              input_cost_per_token: match?.price.input_cost_per_token ?? null,
              output_cost_per_token: match?.price.output_cost_per_token ?? null,
              cache_read_input_token_cost: match?.price.cache_read_input_token_cost ?? null,
              max_input_tokens: d.modelInfo.max_input_tokens ?? match?.price.max_input_tokens ?? null,
              max_output_tokens: d.modelInfo.max_output_tokens ?? match?.price.max_output_tokens ?? null,
            },
          };
        }),
      };
    },

    groupInfo(principal, group) {
      const names = allowedGroups(principal).filter((g) => group === undefined || g === group);
      return {
        data: names.map((name) => {
          // A model_group_alias is described by the deployments of the group it stands for.
          const target = catalog.groupAliases.get(name)?.target;
          const list = groups.get(name) ?? (target === undefined ? undefined : groups.get(target)) ?? [];
          const prices = list.map((d) => priceOf(d)?.price);
          const max = (field: "max_input_tokens" | "max_output_tokens") =>
            list.reduce<number | null>((m, d, i) => {
              const value = d.modelInfo[field] ?? prices[i]?.[field];
              return typeof value === "number" ? Math.max(m ?? 0, value) : m;
            }, null);
          // LiteLLM describes a group by its first deployment's price.
          const first = prices[0];
          return {
            model_group: name,
            providers: [...new Set(list.map((d) => d.provider))],
            max_input_tokens: max("max_input_tokens"),
            max_output_tokens: max("max_output_tokens"),
            input_cost_per_token: first?.input_cost_per_token ?? null,
            output_cost_per_token: first?.output_cost_per_token ?? null,
            cache_read_input_token_cost: first?.cache_read_input_token_cost ?? null,
            mode: list[0]?.modelInfo.mode ?? first?.mode ?? "chat",
            access_groups: [...new Set(list.flatMap((d) => d.modelInfo.access_groups ?? []))],
            deployments: list.length,
          };
        }),
      };
    },
  };
}
