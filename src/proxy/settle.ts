/** The one settlement record of a call, built from what the proxy learned along the way. */
import type { Principal } from "../auth/principal.ts";
import type { Json } from "../db/json.ts";
import type { SettledCall, SpendRecorder } from "../spend/settlement.ts";
import { emptyUsage, type OpenAIBody, type Usage } from "./types.ts";
import { upstreamModel } from "./providers/openai-compatible.ts";
import type { UpstreamResponse } from "./upstream.ts";

export interface CallFacts {
  callId: string;
  callType: SettledCall["call_type"];
  principal: Principal | null;
  endUser: string | null;
  modelGroup: string;
  /** The model name the client sent (a wildcard deployment passes it upstream). */
  requestedModel: string;
  stream: boolean;
  startTime: Date;
  metadata: Record<string, unknown>;
  /** Set only with `store_prompts_in_spend_logs`. */
  messages?: Json;
}

/** Client-supplied `metadata.spend_logs_metadata` and tags, kept for the spend log. */
export function spendMetadata(body: OpenAIBody): Record<string, unknown> {
  const metadata = (typeof body.metadata === "object" && body.metadata !== null ? body.metadata : {}) as Record<string, unknown>;
  const tags = Array.isArray(metadata.tags) ? metadata.tags : Array.isArray(body.tags) ? body.tags : undefined;
  return { ...(metadata.spend_logs_metadata !== undefined ? { spend_logs_metadata: metadata.spend_logs_metadata } : {}), ...(tags ? { tags } : {}) };
}

/**
 * Builds the one settlement record of a call and hands it to the spend module. Each
 * outcome returns what the spend module returned: await it before the response
 * completes, so a call the client saw is never lost to a crash.
 */
export function settler(spend: SpendRecorder, facts: CallFacts) {
  const record = (upstream: UpstreamResponse | null, fields: Partial<SettledCall> & Pick<SettledCall, "status" | "http_status">, usage: Usage, estimated: boolean) =>
    spend.record({
      request_id: fields.request_id ?? facts.callId,
      call_id: facts.callId,
      call_type: facts.callType,
      api_key: facts.principal?.token ?? null,
      user_id: facts.principal?.userId ?? null,
      team_id: facts.principal?.key?.team_id ?? null,
      end_user: facts.endUser,
      model_group: facts.modelGroup,
      model: upstream ? upstreamModel(upstream.deployment, facts.requestedModel) : null,
      model_id: upstream?.deployment.id ?? null,
      provider: upstream?.deployment.provider ?? null,
      api_base: upstream?.deployment.apiBase ?? null,
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      cached_tokens: usage.cached_tokens,
      cache_creation_tokens: usage.cache_creation_tokens,
      reasoning_tokens: usage.reasoning_tokens,
      usage_estimated: estimated,
      stream: facts.stream,
      start_time: facts.startTime,
      end_time: new Date(),
      completion_start_time: fields.completion_start_time ?? null,
      status: fields.status,
      error: fields.error ?? null,
      http_status: fields.http_status,
      attempted_retries: fields.attempted_retries ?? 0,
      metadata: facts.metadata,
      messages: facts.messages,
      response: fields.response,
    });
  return {
    success(upstream: UpstreamResponse, retries: number, usage: Usage, estimated: boolean, requestId: string | null, firstByte: Date | null, response?: Json) {
      return record(upstream, { status: "success", http_status: 200, attempted_retries: retries, request_id: requestId ?? undefined, completion_start_time: firstByte, response }, usage, estimated);
    },
    failure(upstream: UpstreamResponse | null, error: string, status: number, retries: number, usage: Usage = emptyUsage(), estimated = false, firstByte: Date | null = null) {
      return record(upstream, { status: "failure", http_status: status, error, attempted_retries: retries, completion_start_time: firstByte }, usage, estimated);
    },
  };
}
