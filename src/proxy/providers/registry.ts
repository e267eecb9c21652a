/**
 * The one place that knows which adapter serves which provider prefix, and each
 * provider's defaults: base URL, the environment variable LiteLLM reads its key
 * from, and the params it rejects. An OpenAI-compatible provider is one entry here.
 */
import type { Deployment, Endpoint, ProviderAdapter } from "../types.ts";
import { anthropicAdapter } from "./anthropic/index.ts";
import { azureAdapter } from "./azure.ts";
import { bearerAuth, createOpenAICompatible } from "./openai-compatible.ts";

export interface ProviderInfo {
  adapter: ProviderAdapter;
  /** Used when neither the deployment nor `apiBaseEnv` gives a base URL; absent = api_base required. */
  defaultApiBase?: string;
  apiBaseEnv?: readonly string[];
  apiKeyEnv?: readonly string[];
  /** The OpenAI API lives under `/v1` of the server (Ollama, vLLM, TGI): append it when missing. */
  appendV1?: boolean;
}

/** Params OpenAI accepts that most compatible providers reject. */
const OPENAI_ONLY = ["logit_bias", "logprobs", "top_logprobs", "n", "service_tier", "store", "prediction", "modalities", "audio"] as const;

const compatible = (name: string, info: Omit<ProviderInfo, "adapter">, unsupportedParams: readonly string[] = OPENAI_ONLY, endpoints?: readonly Endpoint[]): [string, ProviderInfo] => [
  name,
  { ...info, adapter: createOpenAICompatible({ name, unsupportedParams, endpoints }) },
];

const PROVIDERS = new Map<string, ProviderInfo>([
  [
    "openai",
    {
      adapter: createOpenAICompatible({
        name: "openai",
        authHeaders: (d: Deployment) => ({ ...bearerAuth(d), ...(d.params.organization ? { "openai-organization": d.params.organization } : {}) }),
      }),
      defaultApiBase: "https://api.openai.com/v1",
      apiBaseEnv: ["OPENAI_API_BASE", "OPENAI_BASE_URL"],
      apiKeyEnv: ["OPENAI_API_KEY"],
    },
  ],
  ["azure", { adapter: azureAdapter, apiBaseEnv: ["AZURE_API_BASE"], apiKeyEnv: ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY"] }],
  [
    "azure_ai",
    {
      adapter: createOpenAICompatible({ name: "azure_ai", authHeaders: (d): Record<string, string> => (d.apiKey ? { "api-key": d.apiKey, authorization: `Bearer ${d.apiKey}` } : {}) }),
      apiBaseEnv: ["AZURE_AI_API_BASE"],
      apiKeyEnv: ["AZURE_AI_API_KEY"],
    },
  ],
  ["anthropic", { adapter: anthropicAdapter, defaultApiBase: "https://api.anthropic.com", apiBaseEnv: ["ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"], apiKeyEnv: ["ANTHROPIC_API_KEY"] }],
  compatible("ollama", { defaultApiBase: "http://localhost:11434", apiBaseEnv: ["OLLAMA_API_BASE"], appendV1: true }),
  compatible("ollama_chat", { defaultApiBase: "http://localhost:11434", apiBaseEnv: ["OLLAMA_API_BASE"], appendV1: true }),
  compatible("huggingface", { defaultApiBase: "https://router.huggingface.co/v1", apiBaseEnv: ["HUGGINGFACE_API_BASE"], apiKeyEnv: ["HUGGINGFACE_API_KEY", "HF_TOKEN"], appendV1: true }),
  compatible("hosted_vllm", { apiBaseEnv: ["HOSTED_VLLM_API_BASE"], apiKeyEnv: ["HOSTED_VLLM_API_KEY"], appendV1: true }),
  compatible("vllm", { apiBaseEnv: ["VLLM_API_BASE", "HOSTED_VLLM_API_BASE"], apiKeyEnv: ["VLLM_API_KEY"], appendV1: true }),
  compatible("openrouter", { defaultApiBase: "https://openrouter.ai/api/v1", apiBaseEnv: ["OPENROUTER_API_BASE"], apiKeyEnv: ["OPENROUTER_API_KEY", "OR_API_KEY"] }),
  compatible("fireworks_ai", { defaultApiBase: "https://api.fireworks.ai/inference/v1", apiBaseEnv: ["FIREWORKS_API_BASE"], apiKeyEnv: ["FIREWORKS_AI_API_KEY", "FIREWORKS_API_KEY", "FIREWORKSAI_API_KEY"] }),
  compatible("together_ai", { defaultApiBase: "https://api.together.xyz/v1", apiBaseEnv: ["TOGETHER_AI_API_BASE"], apiKeyEnv: ["TOGETHERAI_API_KEY", "TOGETHER_AI_API_KEY", "TOGETHER_API_KEY"] }),
  compatible("groq", { defaultApiBase: "https://api.groq.com/openai/v1", apiBaseEnv: ["GROQ_API_BASE"], apiKeyEnv: ["GROQ_API_KEY"] }, [...OPENAI_ONLY, "functions", "function_call"]),
  compatible("deepseek", { defaultApiBase: "https://api.deepseek.com/v1", apiBaseEnv: ["DEEPSEEK_API_BASE"], apiKeyEnv: ["DEEPSEEK_API_KEY"] }),
  compatible("mistral", { defaultApiBase: "https://api.mistral.ai/v1", apiBaseEnv: ["MISTRAL_API_BASE"], apiKeyEnv: ["MISTRAL_API_KEY"] }, [...OPENAI_ONLY, "user", "seed", "frequency_penalty", "presence_penalty"]),
  compatible("xai", { defaultApiBase: "https://api.x.ai/v1", apiBaseEnv: ["XAI_API_BASE"], apiKeyEnv: ["XAI_API_KEY"] }),
  compatible("perplexity", { defaultApiBase: "https://api.perplexity.ai", apiBaseEnv: ["PERPLEXITY_API_BASE"], apiKeyEnv: ["PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY"] }),
  compatible("deepinfra", { defaultApiBase: "https://api.deepinfra.com/v1/openai", apiBaseEnv: ["DEEPINFRA_API_BASE"], apiKeyEnv: ["DEEPINFRA_API_KEY"] }),
  compatible("anyscale", { defaultApiBase: "https://api.endpoints.anyscale.com/v1", apiBaseEnv: ["ANYSCALE_API_BASE"], apiKeyEnv: ["ANYSCALE_API_KEY"] }),
  compatible("cerebras", { defaultApiBase: "https://api.cerebras.ai/v1", apiBaseEnv: ["CEREBRAS_API_BASE"], apiKeyEnv: ["CEREBRAS_API_KEY"] }),
  compatible("lm_studio", { defaultApiBase: "http://localhost:1234/v1", apiBaseEnv: ["LM_STUDIO_API_BASE"], apiKeyEnv: ["LM_STUDIO_API_KEY"], appendV1: true }),
  compatible("nvidia_nim", { defaultApiBase: "https://integrate.api.nvidia.com/v1", apiBaseEnv: ["NVIDIA_NIM_API_BASE"], apiKeyEnv: ["NVIDIA_NIM_API_KEY"] }),
  compatible("openai_compatible", { apiBaseEnv: ["OPENAI_COMPATIBLE_API_BASE"], apiKeyEnv: ["OPENAI_COMPATIBLE_API_KEY"] }, []),
  compatible("text-completion-openai", { defaultApiBase: "https://api.openai.com/v1", apiKeyEnv: ["OPENAI_API_KEY"] }, []),
]);

/** Prefixes LiteLLM users write for a generic OpenAI-compatible server with an api_base. */
const GENERIC_ALIASES = ["custom_openai", "litellm_proxy", "openai_like", "custom"];

export function providerInfo(provider: string): ProviderInfo | undefined {
  return PROVIDERS.get(provider) ?? (GENERIC_ALIASES.includes(provider) ? PROVIDERS.get("openai_compatible") : undefined);
}

export function isKnownProvider(prefix: string): boolean {
  return providerInfo(prefix) !== undefined;
}
