/**
 * Finding a model's price, in LiteLLM's order (API.md §6; `_get_model_info_helper`):
 *
 *   0. the deployment id (`model_info.id`), without a provider check — LiteLLM registers
 *      per-deployment prices under it, so a price file may also key entries by id;
 *   then for `model_info.base_model` when set, and failing that for the model itself:
 *   1. `<provider>/<model>`          ("groq/llama-3.1-8b-instant" for model "llama-3.1-8b-instant")
 *   2. the model as given
 *   3. `<provider>/<stripped model>`
 *   4. the stripped model            ("ft:gpt-3.5-turbo" for "ft:gpt-3.5-turbo:my-org:suffix:id")
 *   5. the model without its prefix  ("llama-3.1-8b-instant" for "groq/llama-3.1-8b-instant")
 *
 * Keys match case-insensitively. A hit whose `litellm_provider` fails the provider check
 * is skipped and the next name is tried.
 */
import { inferProvider } from "../../auth/model-patterns.ts";
import type { PriceMap, PriceMatch } from "./types.ts";

export interface PriceQuery {
  /** The provider model id (`Deployment.model`), with or without its `<provider>/` prefix. */
  model: string;
  /** The deployment's provider; null/absent = the model's prefix, else inferred from known names (`gpt-4o` → openai). */
  provider?: string | null;
  /** `model_info.id`: an entry under this key wins, whatever its provider. */
  deploymentId?: string | null;
  /** `model_info.base_model`: looked up (steps 1–5) before the model itself. */
  baseModel?: string | null;
}

export function lookupPrice(map: PriceMap, query: PriceQuery): PriceMatch | null {
  if (query.deploymentId) {
    const byId = map.get(query.deploymentId.toLowerCase());
    if (byId) return byId;
  }
  const provider = (query.provider ?? providerOf(query.model))?.toLowerCase() ?? null;
  for (const name of [query.baseModel, query.model]) {
    if (!name) continue;
    for (const candidate of candidateNames(name, provider)) {
      const hit = map.get(candidate.toLowerCase());
      if (hit && providerAccepts(provider, hit.price.litellm_provider)) return hit;
    }
  }
  return null;
}

/** Steps 1–5 for one name, in order, without repeats. */
export function candidateNames(model: string, provider: string | null): string[] {
  let combined: string;
  let split: string;
  let combinedStripped: string;
  let stripped: string;
  if (provider !== null && model.toLowerCase().startsWith(`${provider}/`)) {
    split = model.slice(provider.length + 1);
    combined = model;
    stripped = stripModelName(split, provider);
    combinedStripped = `${provider}/${stripped}`;
  } else if (provider !== null) {
    split = model;
    combined = `${provider}/${model}`;
    stripped = stripModelName(model, provider);
    combinedStripped = `${provider}/${stripped}`;
  } else {
    const slash = model.indexOf("/");
    split = slash === -1 ? model : model.slice(slash + 1);
    combined = model;
    stripped = stripModelName(model, null);
    combinedStripped = stripped;
  }
  return [...new Set([combined, model, combinedStripped, stripped, split])];
}

/**
 * LiteLLM's `_strip_model_name`: a version suffix for Vertex AI / Gemini / Databricks
 * (`gemini-1.5-flash-001` → `gemini-1.5-flash`), the organisation, suffix and id of an
 * OpenAI fine-tune (`ft:gpt-4o-mini-2024-07-18:org:suffix:id` → `ft:gpt-4o-mini-2024-07-18`).
 * Unlike LiteLLM's pattern, an empty suffix (`ft:gpt-3.5-turbo-0613:personal::7qTVM5AR`, what
 * OpenAI returns when no suffix was given) strips too. (LiteLLM also maps Bedrock
 * region/version ids to base models; tollgate has no Bedrock adapter.)
 */
export function stripModelName(model: string, provider: string | null): string {
  if (provider === "vertex_ai" || provider === "gemini" || provider === "databricks") return model.replace(/-\d+$/, "");
  if (model.includes("ft:")) return model.replace(/(:[^:]*){3}$/, "");
  return model;
}

/** Providers whose entries any model name may use: proxies and generic OpenAI-compatible servers. */
const ACCEPTS_ANY = new Set(["litellm_proxy", "github", "openai_compatible", "custom_openai", "openai_like", "custom"]);

/** Provider ids that name one family of map entries. */
function family(provider: string): string {
  if (provider.startsWith("vertex_ai")) return "vertex_ai";
  if (provider.startsWith("bedrock")) return "bedrock";
  if (provider.startsWith("fireworks_ai")) return "fireworks_ai";
  if (provider === "text-completion-openai") return "openai";
  if (provider === "azure_text") return "azure";
  return provider;
}

/**
 * The provider check. An entry is accepted when it names no provider, when the caller's
 * provider is unknown, or when:
 * - both are the same family: `vertex_ai*` (vertex_ai-language-models, …), `bedrock*`
 *   (bedrock_converse), `fireworks_ai*` (fireworks_ai-embedding-models) — as LiteLLM;
 *   `openai` ~ `text-completion-openai` and `azure` ~ `azure_text` — tollgate's router
 *   sends legacy completions through the same provider id, so their entries must match;
 * - the caller is `azure_ai` and the entry is `azure` or `openai` (LiteLLM: better an
 *   approximate price than none);
 * - the caller is a proxy or generic server (`litellm_proxy`, `github`, `openai_compatible`
 *   and its aliases `custom_openai`, `openai_like`, `custom`): any entry.
 * `azure` does NOT accept `openai` entries (LiteLLM neither): an Azure deployment whose
 * deployment name is not a model name needs `model_info.base_model` (e.g. `azure/gpt-4o`).
 */
export function providerAccepts(provider: string | null, entryProvider: string | undefined): boolean {
  if (provider === null || entryProvider === undefined) return true;
  const caller = provider.toLowerCase();
  const entry = entryProvider.toLowerCase();
  if (ACCEPTS_ANY.has(caller) || family(caller) === family(entry)) return true;
  return caller === "azure_ai" && (entry === "azure" || entry === "openai");
}

/** The provider of a model name when the caller gave none: its prefix, else a known-name guess. */
function providerOf(model: string): string | null {
  const slash = model.indexOf("/");
  return slash === -1 ? inferProvider(model) : model.slice(0, slash);
}
