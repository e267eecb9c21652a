import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { anthropicAdapter } from "../../../src/proxy/providers/anthropic/index.ts";
import { parseAnthropicError } from "../../../src/proxy/providers/anthropic/errors.ts";
import { toChatCompletion } from "../../../src/proxy/providers/anthropic/response.ts";
import { anthropicStreamTransformer } from "../../../src/proxy/providers/anthropic/stream.ts";
import type { BuildOptions, Deployment, OpenAIBody, Usage, UpstreamError } from "../../../src/proxy/types.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/anthropic");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const fixtureJson = <T = Record<string, unknown>>(name: string): T => JSON.parse(fixture(name)) as T;

const MODEL = "claude-sonnet-4-5-20250929";
const NOW = 1_700_000_000_000;

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: "anthropic-1",
    modelName: "claude-sonnet",
    provider: "anthropic",
    model: MODEL,
    apiBase: "https://api.anthropic.com",
    apiKey: "sk-ant-test",
    apiVersion: null,
    params: { model: `anthropic/${MODEL}` },
    modelInfo: {},
    ...overrides,
  };
}

const NON_STREAM: BuildOptions = { stream: false, dropParams: false };

function build(body: OpenAIBody, options: BuildOptions = NON_STREAM, d: Deployment = deployment()) {
  const request = anthropicAdapter.buildRequest("chat", body, d, options);
  return { ...request, json: JSON.parse(request.body) as Record<string, unknown> };
}

const user = (content: unknown) => ({ model: "claude-sonnet", messages: [{ role: "user", content }] });

describe("anthropic adapter: endpoints", () => {
  test("serves chat only", () => {
    expect(anthropicAdapter.supports("chat")).toBe(true);
    expect(anthropicAdapter.supports("completion")).toBe(false);
    expect(anthropicAdapter.supports("embedding")).toBe(false);
  });
});

describe("anthropic request", () => {
  test("posts to /v1/messages with Anthropic's auth and version headers plus extra_headers", () => {
    const d = deployment({ params: { model: "anthropic/x", extra_headers: { "anthropic-beta": "context-1m-2025-08-07" } } });
    const request = build(user("Hi"), NON_STREAM, d);
    expect(request.url).toBe("https://api.anthropic.com/v1/messages");
    expect(request.headers).toEqual({
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-api-key": "sk-ant-test",
      "anthropic-beta": "context-1m-2025-08-07",
    });
  });

  test.each([
    ["https://api.anthropic.com", "https://api.anthropic.com/v1/messages"],
    ["https://gateway.example/anthropic/v1", "https://gateway.example/anthropic/v1/messages"],
    ["https://gateway.example/anthropic/v1/", "https://gateway.example/anthropic/v1/messages"],
    ["", "https://api.anthropic.com/v1/messages"],
  ])("api_base %p → %p", (apiBase, url) => {
    expect(build(user("Hi"), NON_STREAM, deployment({ apiBase })).url).toBe(url);
  });

  test("sends no x-api-key when the deployment has no key", () => {
    expect(build(user("Hi"), NON_STREAM, deployment({ apiKey: null })).headers["x-api-key"]).toBeUndefined();
  });

  test("a plain chat becomes model, messages and the default max_tokens of 4096", () => {
    expect(build(user("Hello, Claude")).json).toEqual({ model: MODEL, messages: [{ role: "user", content: "Hello, Claude" }], max_tokens: 4096 });
  });

  test("a wildcard deployment asks for the requested model without the anthropic/ prefix", () => {
    const body = { ...user("Hi"), model: "anthropic/claude-opus-4-1" };
    expect(build(body, NON_STREAM, deployment({ model: "*" })).json.model).toBe("claude-opus-4-1");
  });

  test("system and developer messages go to the top-level system; cached parts stay blocks", () => {
    const { openai, anthropic } = fixtureJson<{ openai: OpenAIBody; anthropic: unknown }>("request-system-cache.json");
    expect(build(openai).json).toEqual(anthropic as Record<string, unknown>);
  });

  test("one uncached system message is sent as a string", () => {
    const body = { model: "m", messages: [{ role: "system", content: [{ type: "text", text: "Be terse." }] }, { role: "user", content: "Hi" }] };
    expect(build(body).json.system).toBe("Be terse.");
  });

  test("images as data: URLs become base64 sources, http(s) URLs url sources, PDFs documents", () => {
    const { openai, anthropic } = fixtureJson<{ openai: OpenAIBody; anthropic: unknown }>("request-images.json");
    expect(build(openai).json).toEqual(anthropic as Record<string, unknown>);
  });

  test("tool calls and tool results round-trip; tool results and the next user text share one user turn", () => {
    const { openai, anthropic } = fixtureJson<{ openai: OpenAIBody; anthropic: unknown }>("request-tool-round-trip.json");
    expect(build(openai).json).toEqual(anthropic as Record<string, unknown>);
  });

  test("consecutive user messages merge into one turn, as Anthropic requires alternation", () => {
    const body = { model: "m", messages: [{ role: "user", content: "One" }, { role: "user", content: [{ type: "text", text: "Two" }] }] };
    expect(build(body).json.messages).toEqual([{ role: "user", content: [{ type: "text", text: "One" }, { type: "text", text: "Two" }] }]);
  });

  test("an assistant turn sends its thinking_blocks back first, unchanged", () => {
    const thinking = { type: "thinking", thinking: "Check the weather.", signature: "EqQBCgIYAhIM" };
    const body = {
      model: "m",
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, thinking_blocks: [thinking], tool_calls: [{ id: "toolu_1", type: "function", function: { name: "w", arguments: "" } }] },
      ],
    };
    expect(build(body).json.messages).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", content: [thinking, { type: "tool_use", id: "toolu_1", name: "w", input: {} }] },
    ]);
  });

  test.each([
    ["auto", undefined, { type: "auto" }],
    ["none", undefined, { type: "none" }],
    ["required", undefined, { type: "any" }],
    [{ type: "function", function: { name: "get_weather" } }, undefined, { type: "tool", name: "get_weather" }],
    ["required", false, { type: "any", disable_parallel_tool_use: true }],
    [undefined, false, { type: "auto", disable_parallel_tool_use: true }],
    [undefined, undefined, undefined],
  ])("tool_choice %p with parallel_tool_calls %p → %p", (toolChoice, parallel, expected) => {
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }];
    const json = build({ ...user("Hi"), tools, tool_choice: toolChoice, parallel_tool_calls: parallel }).json;
    expect(json.tool_choice).toEqual(expected);
    expect(json.tools).toEqual([{ name: "get_weather", input_schema: { type: "object", properties: {} } }]);
  });

  test("tool_choice without tools is not sent", () => {
    expect(build({ ...user("Hi"), tool_choice: "auto" }).json.tool_choice).toBeUndefined();
  });

  test.each([
    ["END", ["END"]],
    [["END", "STOP"], ["END", "STOP"]],
    [null, undefined],
  ])("stop %p → stop_sequences %p", (stop, expected) => {
    expect(build({ ...user("Hi"), stop }).json.stop_sequences).toEqual(expected);
  });

  test("max_tokens comes from max_tokens or max_completion_tokens; the client's wins over the deployment's", () => {
    expect(build({ ...user("Hi"), max_completion_tokens: 300 }).json.max_tokens).toBe(300);
    expect(build({ ...user("Hi"), max_tokens: 200 }).json.max_tokens).toBe(200);
    const withDefault = deployment({ params: { model: "anthropic/x", max_tokens: 1000, temperature: 0.2, rpm: 10 } });
    expect(build(user("Hi"), NON_STREAM, withDefault).json).toEqual({ model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 1000, temperature: 0.2 });
    expect(build({ ...user("Hi"), max_completion_tokens: 50 }, NON_STREAM, withDefault).json.max_tokens).toBe(50);
  });

  test("sampling params, user and stream are translated", () => {
    const json = build({ ...user("Hi"), temperature: 0.5, top_p: 0.9, top_k: 40, user: "user-123" }, { stream: true, dropParams: false }).json;
    expect(json).toMatchObject({ temperature: 0.5, top_p: 0.9, top_k: 40, metadata: { user_id: "user-123" }, stream: true });
  });

  test.each([false, true])("OpenAI-only params are dropped whatever drop_params says (drop_params %p)", (dropParams) => {
    const body = {
      ...user("Hi"),
      n: 1,
      logprobs: true,
      top_logprobs: 2,
      presence_penalty: 0.1,
      frequency_penalty: 0.1,
      seed: 7,
      logit_bias: { "50256": -100 },
      stream_options: { include_usage: true },
      response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } },
      metadata: { tags: ["gateway-only"] },
    };
    expect(build(body, { stream: false, dropParams }).json).toEqual({ model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 4096 });
  });

  test("Anthropic params pass; unknown params pass unless drop_params is on", () => {
    const body = { ...user("Hi"), thinking: { type: "enabled", budget_tokens: 2048 }, future_param: 1 };
    expect(build(body).json).toMatchObject({ thinking: { type: "enabled", budget_tokens: 2048 }, future_param: 1 });
    const dropped = build(body, { stream: false, dropParams: true }).json;
    expect(dropped.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(dropped.future_param).toBeUndefined();
  });
});

describe("anthropic response", () => {
  const parse = (name: string) => {
    const { body, usage } = toChatCompletion(fixture(name), NOW);
    return { json: JSON.parse(body) as Record<string, unknown>, usage };
  };

  test("text blocks become one assistant message; the msg_ id and model are kept", () => {
    const { json, usage } = parse("response-text.json");
    expect(json).toEqual({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      object: "chat.completion",
      created: 1_700_000_000,
      model: MODEL,
      choices: [{ index: 0, message: { role: "assistant", content: "Hi! My name is Claude." }, logprobs: null, finish_reason: "stop" }],
      usage: {
        prompt_tokens: 2095,
        completion_tokens: 503,
        total_tokens: 2598,
        prompt_tokens_details: { cached_tokens: 0 },
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(usage).toEqual({ prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598, cached_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
  });

  test("tool_use blocks become tool_calls with JSON-string arguments", () => {
    const { json } = parse("response-tool-use.json");
    expect(json.choices).toEqual([
      {
        index: 0,
        message: {
          role: "assistant",
          content: "I'll check the current weather in San Francisco for you.",
          tool_calls: [{ id: "toolu_01A09q90qw90lq917835lq9", type: "function", function: { name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } }],
        },
        logprobs: null,
        finish_reason: "tool_calls",
      },
    ]);
  });

  test("content is null when the reply is only tool calls", () => {
    const message = (parse("response-tool-only.json").json.choices as { message: Record<string, unknown> }[])[0]?.message;
    expect(message?.content).toBeNull();
    expect(message?.tool_calls).toEqual([
      { id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", type: "function", function: { name: "get_time", arguments: "{}" } },
      { id: "toolu_01JzTqXc4d3eWbQdYQF4mBzT", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
    ]);
  });

  test("thinking becomes reasoning_content, and thinking_blocks keep the signed blocks", () => {
    const message = (parse("response-thinking.json").json.choices as { message: Record<string, unknown> }[])[0]?.message;
    expect(message).toEqual({
      role: "assistant",
      content: "Yes, there are infinitely many prime numbers.",
      reasoning_content: "To approach this, let me think about what I know about prime numbers...",
      thinking_blocks: [
        { type: "thinking", thinking: "To approach this, let me think about what I know about prime numbers...", signature: "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL" },
        { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP" },
      ],
    });
  });

  test("cache reads and writes count as prompt tokens and are reported separately", () => {
    const { json, usage } = parse("response-cache.json");
    expect(json.usage).toEqual({
      prompt_tokens: 21 + 188086 + 2048,
      completion_tokens: 393,
      total_tokens: 21 + 188086 + 2048 + 393,
      prompt_tokens_details: { cached_tokens: 2048 },
      cache_creation_input_tokens: 188086,
      cache_read_input_tokens: 2048,
    });
    expect(usage).toMatchObject({ prompt_tokens: 190155, cached_tokens: 2048, cache_creation_tokens: 188086 });
  });

  test.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
  ])("stop_reason %p → finish_reason %p", (stopReason, finish) => {
    const upstream = fixture("response-text.json").replace('"stop_reason":"end_turn"', `"stop_reason":"${stopReason}"`);
    const json = JSON.parse(toChatCompletion(upstream, NOW).body) as { choices: { finish_reason: string }[] };
    expect(json.choices[0]?.finish_reason).toBe(finish);
  });

  test("the adapter stamps created with the current time", () => {
    const before = Math.floor(Date.now() / 1000);
    const json = JSON.parse(anthropicAdapter.parseResponse("chat", fixture("response-text.json"), deployment()).body) as { created: number };
    expect(json.created).toBeGreaterThanOrEqual(before);
  });
});

describe("anthropic errors", () => {
  test("overloaded_error becomes an api_error with code 529", () => {
    expect(parseAnthropicError(529, fixture("error-overloaded.json"))).toEqual({ message: "Overloaded", type: "api_error", param: null, code: "529" });
  });

  test("invalid_request_error keeps its type and message", () => {
    expect(parseAnthropicError(400, fixture("error-invalid-request.json"))).toEqual({
      message: 'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
      type: "invalid_request_error",
      param: null,
      code: "400",
    });
  });

  test.each([
    [401, "authentication_error", "authentication_error"],
    [403, "permission_error", "permission_error"],
    [404, "not_found_error", "not_found_error"],
    [413, "request_too_large", "invalid_request_error"],
    [429, "rate_limit_error", "rate_limit_error"],
    [500, "api_error", "api_error"],
  ])("%p %p → %p", (status, anthropicType, openaiType) => {
    const body = JSON.stringify({ type: "error", error: { type: anthropicType, message: "nope" } });
    expect(parseAnthropicError(status, body)).toEqual({ message: "nope", type: openaiType, param: null, code: String(status) });
  });

  test("a body that is not Anthropic's error JSON is reported by status", () => {
    expect(parseAnthropicError(502, "<html>Bad Gateway</html>")).toEqual({ message: "<html>Bad Gateway</html>", type: "api_error", param: null, code: "502" });
  });
});

// ---------------------------------------------------------------------------------------
// Streams: each recorded stream is fed whole, byte by byte, in 7-byte pieces and cut in the
// middle of every line; every feeding must yield exactly the expected OpenAI chunks.

type Split = (bytes: Uint8Array) => Uint8Array[];

const SPLITS: [string, Split][] = [
  ["one chunk holding every event", (bytes) => [bytes]],
  ["one byte at a time", (bytes) => Array.from(bytes, (_, i) => bytes.slice(i, i + 1))],
  ["7-byte pieces", (bytes) => Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.slice(i * 7, i * 7 + 7))],
  [
    "cut mid-line",
    (bytes) => {
      const cuts = [0];
      let lineStart = 0;
      bytes.forEach((byte, i) => {
        if (byte !== 10) return;
        cuts.push(lineStart + Math.floor((i - lineStart) / 2), i + 1);
        lineStart = i + 1;
      });
      cuts.push(bytes.length);
      return cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
    },
  ],
];

interface Recorded {
  usage: Usage[];
  text: string[];
  errors: UpstreamError[];
}

async function runStream(sse: string, split: Split, includeUsage: boolean): Promise<{ events: unknown[]; calls: Recorded }> {
  const calls: Recorded = { usage: [], text: [], errors: [] };
  const observer = { usage: (u: Usage) => calls.usage.push(u), text: (t: string) => calls.text.push(t), error: (e: UpstreamError) => calls.errors.push(e) };
  const transformer = anthropicStreamTransformer({ observer, includeUsage, model: MODEL, now: () => NOW });
  const output = new Response(transformer.readable).text();
  const writer = transformer.writable.getWriter();
  for (const piece of split(new TextEncoder().encode(sse))) await writer.write(piece);
  await writer.close();
  const text = await output;
  expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  const events = text
    .split("\n\n")
    .filter((block) => block !== "")
    .map((block) => {
      expect(block.startsWith("data: ")).toBe(true);
      const data = block.slice("data: ".length);
      if (data === "[DONE]") return data;
      const parsed = JSON.parse(data) as Record<string, unknown>;
      if ("created" in parsed) expect(parsed.created).toBe(NOW / 1000);
      delete parsed.created;
      return parsed;
    });
  return { events, calls };
}

const withoutUsageChunk = (events: unknown[]) => events.filter((e) => !(typeof e === "object" && e !== null && "usage" in e));

describe.each(SPLITS)("anthropic stream fed as %s", (_name, split) => {
  test("the feeding loses no byte", () => {
    const bytes = new TextEncoder().encode(fixture("stream-thinking-cached.sse"));
    expect(Buffer.concat(split(bytes))).toEqual(Buffer.from(bytes));
  });

  test.each([
    ["stream-text", { prompt_tokens: 25, completion_tokens: 15, total_tokens: 40, cached_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 }],
    ["stream-tool-use", { prompt_tokens: 472, completion_tokens: 89, total_tokens: 561, cached_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 }],
    ["stream-thinking-cached", { prompt_tokens: 2012, completion_tokens: 96, total_tokens: 2108, cached_tokens: 1800, cache_creation_tokens: 200, reasoning_tokens: 0 }],
  ])("%s: the expected chunks, usage reported once", async (name, usage) => {
    const expected = fixtureJson<unknown[]>(`${name}.expected.json`);
    const { events, calls } = await runStream(fixture(`${name}.sse`), split, true);
    expect(events).toEqual(expected);
    expect(calls).toEqual({ usage: [usage], text: [], errors: [] });
  });

  test("without include_usage the usage chunk is left out, but usage is still reported", async () => {
    const { events, calls } = await runStream(fixture("stream-text.sse"), split, false);
    expect(events).toEqual(withoutUsageChunk(fixtureJson<unknown[]>("stream-text.expected.json")));
    expect(calls.usage).toHaveLength(1);
  });

  test("an error event becomes an OpenAI error event, then [DONE]", async () => {
    const { events, calls } = await runStream(fixture("stream-error.sse"), split, true);
    expect(events).toEqual(fixtureJson<unknown[]>("stream-error.expected.json"));
    expect(calls.errors).toEqual([{ message: "Overloaded", type: "api_error", param: null, code: "529" }]);
    // The prompt was billed: the input counted by message_start is still reported.
    expect(calls.usage).toEqual([{ prompt_tokens: 31, completion_tokens: 1, total_tokens: 32, cached_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 }]);
  });

  test("a stream cut short before message_stop ends with an error, then [DONE]", async () => {
    const { events, calls } = await runStream(fixture("stream-truncated.sse"), split, true);
    expect(events).toEqual(fixtureJson<unknown[]>("stream-truncated.expected.json"));
    expect(calls.errors).toEqual([{ message: "The upstream stream ended before it was complete.", type: "api_error", param: null, code: "502" }]);
    expect(calls.usage).toHaveLength(1);
  });
});

describe("anthropic stream without usage", () => {
  test("generated text goes to observer.text when the upstream never reports usage", async () => {
    const sse = fixture("stream-text.sse")
      .replace(/,"usage":\{"input_tokens":25.*?"service_tier":"standard"\}/, "")
      .replace(',"usage":{"output_tokens":15}', "");
    const { calls } = await runStream(sse, (bytes) => [bytes], true);
    expect(calls).toEqual({ usage: [], text: ["Hello", ", café ☕!"], errors: [] });
  });

  test("the adapter's transformer speaks the same stream", async () => {
    const calls: Usage[] = [];
    const transformer = anthropicAdapter.streamTransformer("chat", deployment(), { usage: (u) => calls.push(u), text: () => {}, error: () => {} }, false);
    const text = await new Response(new Response(fixture("stream-text.sse")).body?.pipeThrough(transformer)).text();
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(calls).toHaveLength(1);
  });
});
