/**
 * The LiteLLM docs' custom key generator, in TypeScript: only team
 * "litellm-core-infra@gmail.com" may have keys made. Use it with
 *
 *   general_settings:
 *     custom_key_generate: custom_key_generate.custom_generate_key_fn
 *
 * (the file sits next to config.yaml; tollgate loads it at start-up, no rebuild).
 */
import type { GenerateKeyRequest, KeyGenerateDecision } from "./tollgate-hooks";

export async function custom_generate_key_fn(data: GenerateKeyRequest): Promise<KeyGenerateDecision> {
  if (data.team_id === "litellm-core-infra@gmail.com") return { decision: true };
  return { decision: false, message: "This violates LiteLLM Proxy Rules. No team id provided." };
}
