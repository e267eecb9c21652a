/**
 * What each provider family puts on the wire, read off what the mock upstreams received
 * (API.md §5 model_list): URL, auth header, model id, which params are forwarded,
 * dropped or defaulted — and that no provider key ever reaches a client. Anthropic is
 * checked against a mock speaking its real Messages API, in both directions.
 *
 * The config goes through the real loader (YAML file → `os.environ/` resolution →
 * validation), so these deployments are configured exactly as an operator would.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../../src/config/load.ts";
import { DEFAULT_AZURE_API_VERSION } from "../../../src/proxy/providers/azure.ts";
import { writeConfig } from "../../config/temp-config.ts";
import { type ApiResponse, describeStores, type Harness, type HarnessOptions, MASTER_KEY } from "../../support/harness.ts";
import { anthropicInputTokens, CLAUDE_ANSWER, type MockAnthropic, type RecordedAnthropicRequest, startMockAnthropic } from "../../support/mock-anthropic.ts";
import { type MockOpenAI, type RecordedRequest, startMockOpenAI } from "../../support/mock-openai.ts";
import { jsonChunks, readAllEvents, streamedText, type TimedEvent } from "../../support/sse-client.ts";
import { RecordingSpend } from "../../support/spend.ts";

/** Every provider credential in this suite; none may ever appear in anything a client receives. */
const SECRETS = {
  openaiFromEnv: "sk-openai-SECRET-from-env-1111",
  azure: "azure-SECRET-2222",
  groq: "gsk-SECRET-3333",
  groqFromEnv: "gsk-SECRET-env-7777",
  mistral: "mistral-SECRET-4444",
  together: "together-SECRET-8888",
  anthropic: "sk-ant-SECRET-5555",
  rejected: "sk-openai-SECRET-rejected-6666",
} as const;

const ENV = { TOLLGATE_TEST_OPENAI_KEY: SECRETS.openaiFromEnv, GROQ_API_KEY: SECRETS.groqFromEnv };

const HELLO = [{ role: "user", content: "Hello there" }];

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** Fails with the offending text when a secret appears in a body or a header value. */
function expectNoSecrets(what: string, text: string, headers: Headers): void {
  const exposed = [text, ...[...headers.entries()].map(([name, value]) => `${name}: ${value}`)].flatMap((part) =>
    Object.values(SECRETS).filter((secret) => part.includes(secret)).map((secret) => `${what} exposes ${secret}`),
  );
  expect(exposed).toEqual([]);
}

/** POST a chat completion as the master key; every answer is checked for leaked secrets. */
async function chat(h: Harness, body: Record<string, unknown>, path = "/v1/chat/completions"): Promise<ApiResponse> {
  const res = await h.request("POST", path, { key: MASTER_KEY, body: { messages: HELLO, ...body } });
  expectNoSecrets(`${path} ${String(body.model)} → ${res.status}`, typeof res.body === "string" ? res.body : JSON.stringify(res.body), res.headers);
  return res;
}

/** A streamed chat completion, read to the end; checked for leaked secrets like any answer. */
async function chatStream(h: Harness, body: Record<string, unknown>): Promise<{ res: Response; events: TimedEvent[] }> {
  const res = await fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: HELLO, stream: true, ...body }),
  });
  const events = await readAllEvents(res);
  expectNoSecrets(`stream ${String(body.model)}`, events.map((e) => e.data).join("\n"), res.headers);
  return { res, events };
}

function expectOk(res: ApiResponse): void {
  expect({ status: res.status, body: res.status === 200 ? "ok" : res.body }).toEqual({ status: 200, body: "ok" });
}

describe("providers e2e", () => {
  let openai: MockOpenAI;
  let anthropic: MockAnthropic;
  const spend = new RecordingSpend();

  beforeAll(() => {
    openai = startMockOpenAI();
    anthropic = startMockAnthropic();
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close()]);
  });
  afterEach(() => {
    openai.script = [];
    anthropic.script = [];
  });

  /** The last request the OpenAI-compatible mock received with this body model. */
  const lastTo = (model: string): RecordedRequest => {
    const found = openai.requests.findLast((r) => r.body.model === model);
    if (!found) throw new Error(`the upstream received no request for model ${model}`);
    return found;
  };
  const lastToAnthropic = (): RecordedAnthropicRequest => {
    const found = anthropic.requests.at(-1);
    if (!found) throw new Error("the Anthropic upstream received no request");
    return found;
  };

  const options = (): HarnessOptions => {
    const v1 = `${openai.url}/v1`;
    const config = {
      model_list: [
        { model_name: "oai", litellm_params: { model: "openai/gpt-4o-mini", api_base: v1, api_key: "os.environ/TOLLGATE_TEST_OPENAI_KEY" } },
        {
          model_name: "azure-gpt",
          litellm_params: { model: "azure/my-gpt4o-deployment", api_base: openai.url, api_key: SECRETS.azure, api_version: "2024-08-01-preview" },
        },
        { model_name: "azure-default-version", litellm_params: { model: "azure/other-deployment", api_base: openai.url, api_key: SECRETS.azure } },
        { model_name: "groq-llama", litellm_params: { model: "groq/llama-3.1-8b-instant", api_base: v1, api_key: SECRETS.groq } },
        { model_name: "groq-env-key", litellm_params: { model: "groq/llama-env-key", api_base: v1 } },
        { model_name: "groq-drop", litellm_params: { model: "groq/llama-drop", api_base: v1, api_key: SECRETS.groq, drop_params: true } },
        { model_name: "mistral-small", litellm_params: { model: "mistral/mistral-small-latest", api_base: v1, api_key: SECRETS.mistral } },
        { model_name: "together-llama", litellm_params: { model: "together_ai/meta-llama/Llama-3-8b-chat-hf", api_base: v1, api_key: SECRETS.together } },
        { model_name: "ollama-llama", litellm_params: { model: "ollama/llama3", api_base: openai.url } },
        { model_name: "vllm-model", litellm_params: { model: "hosted_vllm/my-finetune", api_base: `${openai.url}/` } },
        {
          model_name: "with-headers",
          litellm_params: { model: "openai/with-headers", api_base: v1, api_key: "os.environ/TOLLGATE_TEST_OPENAI_KEY", extra_headers: { "x-tenant": "acme", "openai-beta": "assistants=v2" } },
        },
        { model_name: "with-defaults", litellm_params: { model: "openai/with-defaults", api_base: v1, api_key: "os.environ/TOLLGATE_TEST_OPENAI_KEY", temperature: 0.2, max_tokens: 64 } },
        { model_name: "rejects-key", litellm_params: { model: "openai/rejects-key", api_base: v1, api_key: SECRETS.rejected, extra_headers: { "x-mock-status": "401" } } },
        { model_name: "unreachable", litellm_params: { model: "openai/unreachable", api_base: "http://127.0.0.1:9/v1", api_key: SECRETS.rejected } },
        { model_name: "claude", litellm_params: { model: "anthropic/claude-sonnet-4-5", api_base: anthropic.url, api_key: SECRETS.anthropic } },
      ],
      // One call per request, and no cooldowns: the error tests must not change routing for the others.
      router_settings: { num_retries: 0, disable_cooldowns: true },
    };
    // JSON is YAML: the file goes through the same loader as an operator's config.yaml.
    const loaded = loadConfig({ path: writeConfig(JSON.stringify(config)), env: { ...ENV }, warn: () => {} });
    return { config: loaded, env: { ...ENV }, spend };
  };

  describeStores(
    "OpenAI-compatible providers on the wire",
    (h) => {
      test("openai/: POST {api_base}/chat/completions with the os.environ/ key as a Bearer token and the model without its prefix", async () => {
        const res = await chat(h(), { model: "oai" });

        expectOk(res);
        const sent = lastTo("gpt-4o-mini");
        expect(sent.method).toBe("POST");
        expect(sent.path).toBe("/v1/chat/completions");
        expect(sent.headers.authorization).toBe(`Bearer ${SECRETS.openaiFromEnv}`);
        expect(sent.headers["content-type"]).toStartWith("application/json");
        expect(sent.body).toEqual({ model: "gpt-4o-mini", messages: HELLO });
        expect(res.body.object).toBe("chat.completion");
      });

      test("azure/: the deployment is in the path with ?api-version=, the key in api-key, and no Authorization header", async () => {
        expectOk(await chat(h(), { model: "azure-gpt" }));

        const sent = openai.requests.findLast((r) => r.path.includes("/my-gpt4o-deployment/"))!;
        expect(sent.path).toBe("/openai/deployments/my-gpt4o-deployment/chat/completions");
        expect(sent.search).toBe("?api-version=2024-08-01-preview");
        expect(sent.headers["api-key"]).toBe(SECRETS.azure);
        expect(sent.headers.authorization).toBeUndefined();
      });

      test("azure/ without api_version uses the default API version", async () => {
        expectOk(await chat(h(), { model: "azure-default-version" }));

        const sent = openai.requests.findLast((r) => r.path.includes("/other-deployment/"))!;
        expect(sent.search).toBe(`?api-version=${DEFAULT_AZURE_API_VERSION}`);
      });

      test("azure/ embeddings go to the deployment's /embeddings path", async () => {
        const res = await chat(h(), { model: "azure-gpt", input: ["a", "b"], messages: undefined }, "/v1/embeddings");

        expectOk(res);
        expect(res.body.data.length).toBe(2);
        const sent = openai.requests.at(-1)!;
        expect(sent.path).toBe("/openai/deployments/my-gpt4o-deployment/embeddings");
        expect(sent.headers["api-key"]).toBe(SECRETS.azure);
      });

      test.each([
        ["groq-llama", "llama-3.1-8b-instant", `Bearer ${SECRETS.groq}`],
        ["groq-env-key", "llama-env-key", `Bearer ${SECRETS.groqFromEnv}`],
        ["mistral-small", "mistral-small-latest", `Bearer ${SECRETS.mistral}`],
        ["together-llama", "meta-llama/Llama-3-8b-chat-hf", `Bearer ${SECRETS.together}`],
      ])("%s: the api_base override gets /chat/completions, the model id without the provider prefix, Bearer auth", async (group, model, auth) => {
        expectOk(await chat(h(), { model: group }));

        const sent = lastTo(model);
        expect(sent.path).toBe("/v1/chat/completions");
        expect(sent.headers.authorization).toBe(auth);
      });

      test.each([
        ["ollama-llama", "llama3"],
        ["vllm-model", "my-finetune"],
      ])("%s: /v1 is appended to a bare api_base, and no key means no Authorization header", async (group, model) => {
        expectOk(await chat(h(), { model: group }));

        const sent = lastTo(model);
        expect(sent.path).toBe("/v1/chat/completions");
        expect(sent.headers.authorization).toBeUndefined();
      });

      test("drop_params: true drops a param the provider rejects; without it the param is forwarded", async () => {
        const logit_bias = { "50256": -100 };
        expectOk(await chat(h(), { model: "groq-drop", logit_bias, temperature: 0.5 }));
        expectOk(await chat(h(), { model: "groq-llama", logit_bias, temperature: 0.5 }));

        const dropped = lastTo("llama-drop").body;
        expect(dropped.logit_bias).toBeUndefined();
        expect(dropped.temperature).toBe(0.5);
        const kept = lastTo("llama-3.1-8b-instant").body;
        expect(kept.logit_bias).toEqual(logit_bias);
      });

      test("extra_headers from the deployment are sent upstream", async () => {
        expectOk(await chat(h(), { model: "with-headers" }));

        const sent = lastTo("with-headers");
        expect(sent.headers["x-tenant"]).toBe("acme");
        expect(sent.headers["openai-beta"]).toBe("assistants=v2");
        expect(sent.headers.authorization).toBe(`Bearer ${SECRETS.openaiFromEnv}`);
      });

      test("params set on the deployment are defaults the client may override", async () => {
        expectOk(await chat(h(), { model: "with-defaults" }));
        expect(lastTo("with-defaults").body).toMatchObject({ temperature: 0.2, max_tokens: 64 });

        expectOk(await chat(h(), { model: "with-defaults", temperature: 0.9 }));
        expect(lastTo("with-defaults").body).toMatchObject({ temperature: 0.9, max_tokens: 64 });
      });

      test("gateway-only fields the client sends are not forwarded, and cannot redirect the call or its credentials", async () => {
        const res = await chat(h(), {
          model: "oai",
          user: "end-user-42",
          metadata: { tags: ["team-a"], spend_logs_metadata: { ticket: 7 } },
          fallbacks: ["groq-llama"],
          num_retries: 5,
          api_key: "sk-client-supplied-key",
          api_base: "http://127.0.0.1:9/evil",
          extra_headers: { "x-injected": "1" },
        });

        expectOk(res);
        const sent = lastTo("gpt-4o-mini");
        expect(sent.body).toEqual({ model: "gpt-4o-mini", messages: HELLO, user: "end-user-42" });
        expect(sent.headers.authorization).toBe(`Bearer ${SECRETS.openaiFromEnv}`);
        expect(sent.headers["x-injected"]).toBeUndefined();
      });

      test("the legacy /v1/completions endpoint goes to {api_base}/completions", async () => {
        const res = await chat(h(), { model: "groq-llama", prompt: "Say hi", messages: undefined }, "/v1/completions");

        expectOk(res);
        expect(res.body.object).toBe("text_completion");
        const sent = lastTo("llama-3.1-8b-instant");
        expect(sent.path).toBe("/v1/completions");
        expect(sent.body.prompt).toBe("Say hi");
      });

      test("an upstream that rejects the key answers 401 litellm.AuthenticationError, without the key in it", async () => {
        openai.script = [];
        const res = await chat(h(), { model: "rejects-key" });

        expect(res.status).toBe(401);
        expect(res.body.error.message).toStartWith("litellm.AuthenticationError: ");
        expect(res.body.error.code).toBe("401");
        expect(lastTo("rejects-key").headers.authorization).toBe(`Bearer ${SECRETS.rejected}`);
      });

      test("an unreachable upstream is a 500 litellm.APIConnectionError, without the key in it", async () => {
        const res = await chat(h(), { model: "unreachable" });

        expect(res.status).toBe(500);
        expect(res.body.error.message).toStartWith("litellm.APIConnectionError: ");
      });

      test("the model listings never show a provider key", async () => {
        for (const path of ["/v1/models", "/model/info", "/model_group/info"]) {
          const res = await h().get(path);
          expect(res.status).toBe(200);
          expectNoSecrets(path, JSON.stringify(res.body), res.headers);
        }
      });
    },
    options,
  );

  describeStores(
    "Anthropic behind the OpenAI API",
    (h) => {
      test("a chat call becomes POST /v1/messages: x-api-key, anthropic-version, system prompt hoisted, max_tokens defaulted", async () => {
        const res = await chat(h(), {
          model: "claude",
          messages: [
            { role: "system", content: "You are terse." },
            { role: "user", content: "Hello there" },
          ],
        });

        expectOk(res);
        const sent = lastToAnthropic();
        expect(sent.method).toBe("POST");
        expect(sent.path).toBe("/v1/messages");
        expect(sent.headers["x-api-key"]).toBe(SECRETS.anthropic);
        expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
        expect(sent.headers.authorization).toBeUndefined();
        expect(sent.body).toEqual({
          model: "claude-sonnet-4-5",
          system: "You are terse.",
          messages: [{ role: "user", content: "Hello there" }],
          max_tokens: 4096,
        });
      });

      test("the Anthropic answer comes back as an OpenAI chat.completion with usage, and is settled with those counts", async () => {
        const res = await chat(h(), { model: "claude", max_tokens: 100, temperature: 0.3 });

        expectOk(res);
        const sent = lastToAnthropic();
        expect(sent.body).toMatchObject({ max_tokens: 100, temperature: 0.3 });
        const input = anthropicInputTokens(sent.body);
        const output = 2 * CLAUDE_ANSWER.length;
        expect(res.body).toMatchObject({
          object: "chat.completion",
          model: "claude-sonnet-4-5",
          choices: [{ index: 0, message: { role: "assistant", content: CLAUDE_ANSWER.join("") }, finish_reason: "stop" }],
          usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
        });
        expect(res.body.id).toStartWith("msg_mock");
        expect(res.headers.get("x-litellm-model-group")).toBe("claude");

        const record = spend.byCallId(res.headers.get("x-litellm-call-id"));
        expect(record).toMatchObject({ status: "success", provider: "anthropic", prompt_tokens: input, completion_tokens: output, usage_estimated: false });
      });

      test("a streamed call is translated to OpenAI chunks ending in one [DONE], with the usage chunk when asked for", async () => {
        const { res, events } = await chatStream(h(), { model: "claude", stream_options: { include_usage: true } });

        expect(res.status).toBe(200);
        const sent = lastToAnthropic();
        expect(sent.body.stream).toBe(true);
        expect(sent.body.stream_options).toBeUndefined();

        const chunks = jsonChunks(events);
        expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
        expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
        expect(chunks[0]!.choices[0].delta.role).toBe("assistant");
        expect(streamedText(events)).toBe(CLAUDE_ANSWER.join(""));
        expect(chunks.flatMap((c) => c.choices.map((choice: any) => choice.finish_reason)).filter(Boolean)).toEqual(["stop"]);
        const input = anthropicInputTokens(sent.body);
        const output = 2 * CLAUDE_ANSWER.length;
        expect(chunks.filter((c) => c.usage).map((c) => c.usage)).toEqual([expect.objectContaining({ prompt_tokens: input, completion_tokens: output, total_tokens: input + output })]);
        expect(events.at(-1)!.data).toBe("[DONE]");
        expect(events.filter((e) => e.data === "[DONE]").length).toBe(1);
      });

      test("tool calls round trip: tools go out in Anthropic's shape, tool_use comes back as tool_calls, results go back as tool_result", async () => {
        anthropic.script = [{ kind: "tool-use", id: "toolu_mock_1", name: "get_weather", input: { city: "Paris" }, text: "Let me check." }];
        const question = { role: "user", content: "Weather in Paris?" };

        const first = await chat(h(), { model: "claude", messages: [question], tools: [WEATHER_TOOL], tool_choice: "auto" });

        expectOk(first);
        expect(lastToAnthropic().body).toMatchObject({
          tools: [{ name: "get_weather", description: "Current weather in a city", input_schema: WEATHER_TOOL.function.parameters }],
          tool_choice: { type: "auto" },
        });
        const message = first.body.choices[0].message;
        expect(first.body.choices[0].finish_reason).toBe("tool_calls");
        expect(message.content).toBe("Let me check.");
        expect(message.tool_calls).toEqual([{ id: "toolu_mock_1", type: "function", function: { name: "get_weather", arguments: expect.any(String) } }]);
        expect(JSON.parse(message.tool_calls[0].function.arguments)).toEqual({ city: "Paris" });

        const second = await chat(h(), {
          model: "claude",
          tools: [WEATHER_TOOL],
          messages: [question, message, { role: "tool", tool_call_id: "toolu_mock_1", content: "18°C and sunny" }],
        });

        expectOk(second);
        expect(lastToAnthropic().body.messages).toEqual([
          { role: "user", content: "Weather in Paris?" },
          {
            role: "assistant",
            content: [
              { type: "text", text: "Let me check." },
              { type: "tool_use", id: "toolu_mock_1", name: "get_weather", input: { city: "Paris" } },
            ],
          },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_mock_1", content: "18°C and sunny" }] },
        ]);
        expect(second.body.choices[0].message.content).toBe(CLAUDE_ANSWER.join(""));
      });

      test("a streamed tool call arrives as tool_calls deltas whose arguments assemble to the tool input", async () => {
        anthropic.script = [{ kind: "tool-use", id: "toolu_mock_2", name: "get_weather", input: { city: "Tokyo", unit: "celsius" } }];

        const { events } = await chatStream(h(), { model: "claude", tools: [WEATHER_TOOL] });

        const calls = jsonChunks(events).flatMap((c) => c.choices.flatMap((choice: any) => choice.delta?.tool_calls ?? []));
        expect(calls[0]).toMatchObject({ index: 0, id: "toolu_mock_2", type: "function", function: { name: "get_weather" } });
        const args = calls.map((call: any) => call.function?.arguments ?? "").join("");
        expect(JSON.parse(args)).toEqual({ city: "Tokyo", unit: "celsius" });
        const finishes = jsonChunks(events).flatMap((c) => c.choices.map((choice: any) => choice.finish_reason)).filter(Boolean);
        expect(finishes).toEqual(["tool_calls"]);
        expect(events.at(-1)!.data).toBe("[DONE]");
      });

      test.each([
        [400, "invalid_request_error", "BadRequestError", "messages: text content blocks must be non-empty", "invalid_request_error"],
        [401, "authentication_error", "AuthenticationError", "invalid x-api-key", "authentication_error"],
        [429, "rate_limit_error", "RateLimitError", "Number of request tokens has exceeded your per-minute rate limit", "rate_limit_error"],
      ])("an Anthropic %i %s is relayed with its status as litellm.%s", async (status, errorType, errorClass, message, openaiType) => {
        anthropic.script = [{ kind: "error", status, errorType, message }];

        const res = await chat(h(), { model: "claude" });

        expect(res.status).toBe(status);
        expect(res.body.error).toMatchObject({ message: `litellm.${errorClass}: ${message}`, type: openaiType, code: String(status) });
      });

      test("an overloaded error inside an Anthropic stream reaches the client as an error event, then [DONE], and settles a failure", async () => {
        anthropic.script = [{ kind: "stream-error", errorType: "overloaded_error", message: "Overloaded" }];

        const { res, events } = await chatStream(h(), { model: "claude" });

        expect(streamedText(events)).toBe(CLAUDE_ANSWER.slice(0, 2).join(""));
        const error = JSON.parse(events.at(-2)!.data) as { error?: { message?: unknown } };
        expect(error.error?.message).toBe("Overloaded");
        expect(events.at(-1)!.data).toBe("[DONE]");
        const deadline = Date.now() + 2_000;
        while (!spend.byCallId(res.headers.get("x-litellm-call-id")) && Date.now() < deadline) await Bun.sleep(5);
        expect(spend.byCallId(res.headers.get("x-litellm-call-id"))).toMatchObject({ status: "failure", error: "Overloaded" });
      });
    },
    options,
  );
});
