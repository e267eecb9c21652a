/**
 * The model listings (API.md §2.6): /v1/models, /model/info, /model_group/info.
 * Each lists exactly what the caller may call; provider secrets never appear.
 */
import { listAllowedModels, type ModelCatalog } from "../auth/model-access.ts";
import type { Principal } from "../auth/principal.ts";
import { canReadAll } from "../auth/roles.ts";
import type { Deployment } from "./types.ts";

/** LiteLLM answers a fixed `created` for every model; clients only need it present. */
const CREATED = 1677610602;

/** litellm_params fields that hold credentials, however a provider names them. */
const SECRET_FIELD = /key|secret|token|password|credential/i;

/** Header names that carry credentials when set in `extra_headers`. */
const SECRET_HEADER = /auth|key|token|secret|cookie|password|credential/i;

export function publicParams(deployment: Deployment): Record<string, unknown> {
  const params = Object.fromEntries(Object.entries(deployment.params).filter(([name]) => !SECRET_FIELD.test(name)));
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

export function createModelListings(catalog: ModelCatalog, groups: ReadonlyMap<string, readonly Deployment[]>): ModelListings {
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
        data: deploymentsFor(principal).map((d) => ({
          model_name: d.modelName,
          litellm_params: publicParams(d),
          model_info: {
            id: d.id,
            db_model: false,
            mode: d.modelInfo.mode ?? "chat",
            litellm_provider: d.provider,
            ...d.modelInfo,
            input_cost_per_token: d.params.input_cost_per_token ?? d.modelInfo.input_cost_per_token ?? null,
            output_cost_per_token: d.params.output_cost_per_token ?? d.modelInfo.output_cost_per_token ?? null,
          },
        })),
      };
    },

    groupInfo(principal, group) {
      const names = allowedGroups(principal).filter((g) => group === undefined || g === group);
      return {
        data: names.map((name) => {
          // A model_group_alias is described by the deployments of the group it stands for.
          const target = catalog.groupAliases.get(name)?.target;
          const list = groups.get(name) ?? (target === undefined ? undefined : groups.get(target)) ?? [];
          const max = (field: "max_input_tokens" | "max_output_tokens") =>
            list.reduce<number | null>((m, d) => (typeof d.modelInfo[field] === "number" ? Math.max(m ?? 0, d.modelInfo[field] as number) : m), null);
          const first = list[0];
          return {
            model_group: name,
            providers: [...new Set(list.map((d) => d.provider))],
            max_input_tokens: max("max_input_tokens"),
            max_output_tokens: max("max_output_tokens"),
            input_cost_per_token: first?.params.input_cost_per_token ?? first?.modelInfo.input_cost_per_token ?? null,
            output_cost_per_token: first?.params.output_cost_per_token ?? first?.modelInfo.output_cost_per_token ?? null,
            mode: first?.modelInfo.mode ?? "chat",
            access_groups: [...new Set(list.flatMap((d) => d.modelInfo.access_groups ?? []))],
            deployments: list.length,
          };
        }),
      };
    },
  };
}
