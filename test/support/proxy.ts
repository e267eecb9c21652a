/**
 * Arrange and assert helpers for the proxy suites: config entries pointing at a mock
 * upstream, a chat call, and the checks every successful call shares (LiteLLM's
 * response headers, exactly one settled record).
 */
import { expect } from "bun:test";
import type { ModelDeployment } from "../../src/config/index.ts";
import type { SettledCall } from "../../src/spend/settlement.ts";
import type { ApiResponse, Harness } from "./harness.ts";
import type { MockOpenAI } from "./mock-openai.ts";
import type { RecordingSpend } from "./spend.ts";

/** The provider key every test deployment carries; no response may ever contain it. */
export const UPSTREAM_KEY = "sk-upstream-provider-secret-5f3a9c";

export const HELLO = [{ role: "user", content: "Hello" }];

export interface DeploymentOptions {
  /** `litellm_params.model`; default `openai/<model_name>`. */
  model?: string;
  /** `model_info.id`; default: tollgate's stable hash. */
  id?: string;
  accessGroups?: string[];
  mode?: string;
  /** Base URL; default `mock.url + "/v1"`. */
  apiBase?: string;
}

/** A `model_list` entry served by `mock`. */
export function deployment(modelName: string, mock: MockOpenAI | null, options: DeploymentOptions = {}): ModelDeployment {
  const info: Record<string, unknown> = {};
  if (options.id) info.id = options.id;
  if (options.accessGroups) info.access_groups = options.accessGroups;
  if (options.mode) info.mode = options.mode;
  const apiBase = options.apiBase ?? (mock ? `${mock.url}/v1` : undefined);
  if (apiBase === undefined) throw new Error("deployment: pass a mock or an apiBase");
  return {
    model_name: modelName,
    litellm_params: { model: options.model ?? `openai/${modelName}`, api_base: apiBase, api_key: UPSTREAM_KEY },
    ...(Object.keys(info).length > 0 ? { model_info: info } : {}),
  } as ModelDeployment;
}

export interface ChatOptions {
  headers?: Record<string, string>;
  /** Extra body fields (merged over `{model, messages}`). */
  body?: Record<string, unknown>;
  path?: string;
}

/** POST /v1/chat/completions (or `path`) with `Authorization: Bearer <key>` when a key is given. */
export function chat(h: Harness, key: string | null, model: string | undefined, options: ChatOptions = {}): Promise<ApiResponse> {
  const body = { ...(model === undefined ? {} : { model }), messages: HELLO, ...options.body };
  return h.request("POST", options.path ?? "/v1/chat/completions", { key, body, headers: options.headers });
}

/** Asserts a 200 with a chat completion body, printing the error body otherwise. */
export function expectOk(res: ApiResponse): void {
  expect({ status: res.status, body: res.status === 200 ? "ok" : res.body }).toEqual({ status: 200, body: "ok" });
}

/** The LiteLLM success headers every proxied call carries. */
export function expectCallHeaders(res: ApiResponse, expected: { modelGroup: string; modelId?: string; retries?: number }): void {
  expect(res.headers.get("x-litellm-call-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers.get("x-litellm-model-group")).toBe(expected.modelGroup);
  if (expected.modelId !== undefined) expect(res.headers.get("x-litellm-model-id")).toBe(expected.modelId);
  else expect(res.headers.get("x-litellm-model-id")).toBeTruthy();
  expect(Number(res.headers.get("x-litellm-response-duration-ms"))).toBeGreaterThanOrEqual(0);
  expect(res.headers.get("x-litellm-attempted-retries")).toBe(String(expected.retries ?? 0));
}

/** Exactly one settled record carries this call id; returns it. */
export async function settledOnce(spend: RecordingSpend, callId: string | null): Promise<SettledCall> {
  expect(callId).toBeTruthy();
  const deadline = Date.now() + 3_000;
  while (!spend.byCallId(callId) && Date.now() < deadline) await Bun.sleep(5);
  // A second record, if any, would arrive right behind the first.
  await Bun.sleep(20);
  const records = spend.calls.filter((c) => c.call_id === callId);
  expect(records.length).toBe(1);
  return records[0]!;
}

/** Requests `mock` received since `from` (an index into `mock.requests`). */
export const receivedSince = (mock: MockOpenAI, from: number) => mock.requests.slice(from);
