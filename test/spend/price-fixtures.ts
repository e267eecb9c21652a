/** Builders for the spend price tests: deployments as resolveDeployments makes them, settled calls as the proxy records them. */
import { expect } from "bun:test";
import type { LitellmParams, ModelInfo } from "../../src/config/index.ts";
import type { Deployment } from "../../src/proxy/types.ts";
import type { SettledCall } from "../../src/spend/settlement.ts";

export function deployment(fields: {
  id: string;
  provider: string;
  model: string;
  modelName?: string;
  params?: Partial<LitellmParams> & Record<string, unknown>;
  modelInfo?: ModelInfo;
}): Deployment {
  return {
    id: fields.id,
    modelName: fields.modelName ?? fields.model,
    provider: fields.provider,
    model: fields.model,
    apiBase: "http://upstream.test/v1",
    apiKey: null,
    apiVersion: null,
    params: { ...fields.params, model: `${fields.provider}/${fields.model}` },
    modelInfo: { id: fields.id, ...fields.modelInfo },
  };
}

const START = new Date("2025-01-01T00:00:00.000Z");

export function settledCall(fields: Partial<SettledCall> = {}): SettledCall {
  return {
    request_id: "chatcmpl-test",
    call_id: "call-test",
    call_type: "acompletion",
    api_key: null,
    user_id: null,
    team_id: null,
    end_user: null,
    model_group: fields.model ?? "gpt-4o",
    model: "gpt-4o",
    model_id: null,
    provider: "openai",
    api_base: null,
    prompt_tokens: 0,
    completion_tokens: 0,
    cached_tokens: 0,
    cache_creation_tokens: 0,
    reasoning_tokens: 0,
    usage_estimated: false,
    stream: false,
    start_time: START,
    end_time: new Date(START.getTime() + 1_000),
    completion_start_time: null,
    status: "success",
    error: null,
    http_status: 200,
    attempted_retries: 0,
    metadata: {},
    ...fields,
  };
}

/** Money assertions: equal to the hand-computed formula within 1e-12 USD. */
export function expectUsd(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThan(1e-12);
}
