/** Builders for the spend price tests: deployments as resolveDeployments makes them, settled calls as the proxy records them. */
import { expect } from "bun:test";
import { settledCall as blankCall } from "../../src/spend/settlement.ts";
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
  return blankCall({ model: "gpt-4o", provider: "openai", model_group: fields.model ?? "gpt-4o", start_time: START, end_time: new Date(START.getTime() + 1_000), ...fields });
}

/** Money assertions: equal to the hand-computed formula within 1e-12 USD. */
export function expectUsd(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThan(1e-12);
}
