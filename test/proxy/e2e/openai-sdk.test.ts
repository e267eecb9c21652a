/**
 * The official `openai` npm client against tollgate, end to end: what a user of the SDK
 * sees (completions, streams, embeddings, model lists, typed errors), the LiteLLM
 * response headers, and the one settled record each call leaves for spend tracking
 * (key hash, user, team, end user, model group, deployment, provider, tokens, status).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { hashKey } from "../../../src/auth/key-format.ts";
import type { SettledCall } from "../../../src/spend/settlement.ts";
import { describeStores, type Harness, MASTER_KEY } from "../../support/harness.ts";
import { createKey, createUser, insertTeam, uniqueId } from "../../support/management.ts";
import { completionTokens, type MockOpenAI, promptTokens, startMockOpenAI } from "../../support/mock-openai.ts";
import { deployment, expectCallHeaders, settledOnce } from "../../support/proxy.ts";
import { RecordingSpend } from "../../support/spend.ts";

let mock: MockOpenAI;
/** Serves only the rate-limited group, so its scripted 429s meet no other request. */
let limited: MockOpenAI;
const spend = new RecordingSpend();

beforeAll(() => {
  mock = startMockOpenAI();
  limited = startMockOpenAI();
});
afterAll(async () => {
  await Promise.all([mock.close(), limited.close()]);
});

const CHAT = "gpt-4o-mini";
const EMBED = "text-embedding-3-small";
const LIMITED = "rate-limited";
const MESSAGES = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Say hello to the gateway." },
];
/** What the mock answers with 5 completion tokens (see its header comment). */
const ANSWER_5 = "Hello from the mock upstream";

const client = (h: Harness, apiKey: string) => new OpenAI({ apiKey, baseURL: `${h.url}/v1`, maxRetries: 0 });

/** A key owned by a fresh user in a fresh team, with everything a settled record should name. */
async function teamUserKey(h: Harness, body: Record<string, unknown> = {}) {
  const user = await createUser(h, { auto_create_key: false });
  const teamId = uniqueId("sdk-team");
  await insertTeam(h, teamId, "SDK team");
  const { key, token } = await createKey(h, { user_id: user.user_id, team_id: teamId, ...body });
  return { key, token, userId: user.user_id, teamId };
}

/** The fields of a settled record a test states; the rest are checked for shape. */
function expectRecord(record: SettledCall, expected: Partial<SettledCall>): void {
  expect(record).toMatchObject(expected);
  expect(record.end_time.getTime()).toBeGreaterThanOrEqual(record.start_time.getTime());
  expect(record.api_base).toBe(`${mock.url}/v1`);
}

/** Runs `fn`, which must reject, and returns what it rejected with. */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

describeStores(
  "the openai SDK as the client",
  (h) => {
    test("chat completion: the answer, LiteLLM's headers and one settled record naming key, user, team and end user", async () => {
      const { key, token, userId, teamId } = await teamUserKey(h());

      const { data, response } = await client(h(), key).chat.completions.create({ model: CHAT, messages: MESSAGES, user: "customer-42" }).withResponse();

      expect(data.choices[0]?.message.content).toBe(ANSWER_5);
      expect(data.usage).toMatchObject({ prompt_tokens: promptTokens({ messages: MESSAGES }), completion_tokens: 5 });
      const res = { status: response.status, headers: response.headers, body: data };
      expectCallHeaders(res, { modelGroup: CHAT, modelId: "dep-mini", retries: 0 });
      const record = await settledOnce(spend, response.headers.get("x-litellm-call-id"));
      expect(token).toBe(hashKey(key));
      expectRecord(record, {
        call_type: "acompletion",
        api_key: token,
        user_id: userId,
        team_id: teamId,
        end_user: "customer-42",
        model_group: CHAT,
        model: CHAT,
        model_id: "dep-mini",
        provider: "openai",
        prompt_tokens: promptTokens({ messages: MESSAGES }),
        completion_tokens: 5,
        usage_estimated: false,
        stream: false,
        status: "success",
        http_status: 200,
        error: null,
        attempted_retries: 0,
      });
    });

    test("max_tokens reaches the upstream and the record counts its completion tokens", async () => {
      const { key } = await teamUserKey(h());

      const { data, response } = await client(h(), key).chat.completions.create({ model: CHAT, messages: MESSAGES, max_tokens: 12 }).withResponse();

      expect(data.usage?.completion_tokens).toBe(12);
      expect((await settledOnce(spend, response.headers.get("x-litellm-call-id"))).completion_tokens).toBe(completionTokens({ max_tokens: 12 }));
    });

    test("the end user comes from x-litellm-end-user-id, and x-litellm-customer-id wins over both it and the body", async () => {
      const { key } = await teamUserKey(h());
      const sdk = client(h(), key);

      const byHeader = await sdk.chat.completions.create({ model: CHAT, messages: MESSAGES, user: "body-user" }, { headers: { "x-litellm-end-user-id": "header-user" } }).withResponse();
      const byCustomer = await sdk.chat.completions
        .create({ model: CHAT, messages: MESSAGES, user: "body-user" }, { headers: { "x-litellm-end-user-id": "header-user", "x-litellm-customer-id": "customer-header" } })
        .withResponse();
      const none = await sdk.chat.completions.create({ model: CHAT, messages: MESSAGES }).withResponse();

      expect((await settledOnce(spend, byHeader.response.headers.get("x-litellm-call-id"))).end_user).toBe("header-user");
      expect((await settledOnce(spend, byCustomer.response.headers.get("x-litellm-call-id"))).end_user).toBe("customer-header");
      expect((await settledOnce(spend, none.response.headers.get("x-litellm-call-id"))).end_user).toBeNull();
    });

    test("the master key's calls settle with no key hash and the admin user", async () => {
      const { response } = await client(h(), MASTER_KEY).chat.completions.create({ model: CHAT, messages: MESSAGES }).withResponse();

      expectRecord(await settledOnce(spend, response.headers.get("x-litellm-call-id")), { api_key: null, user_id: "default_user_id", team_id: null, status: "success" });
    });

    test("streaming: chunks carry the answer, the SDK handles [DONE], and no usage chunk appears unasked", async () => {
      const { key, token } = await teamUserKey(h());

      const { data: stream, response } = await client(h(), key).chat.completions.create({ model: CHAT, messages: MESSAGES, stream: true }).withResponse();
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(response.headers.get("content-type")).toContain("text/event-stream");
      expectCallHeaders({ status: response.status, headers: response.headers, body: null }, { modelGroup: CHAT, modelId: "dep-mini" });
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(ANSWER_5);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
      expect(chunks.filter((c) => c.usage)).toEqual([]);
      expectRecord(await settledOnce(spend, response.headers.get("x-litellm-call-id")), {
        api_key: token,
        stream: true,
        prompt_tokens: promptTokens({ messages: MESSAGES }),
        completion_tokens: 5,
        usage_estimated: false,
        status: "success",
      });
    });

    test("streaming with stream_options.include_usage: the last chunk carries the usage", async () => {
      const { key } = await teamUserKey(h());

      const { data: stream, response } = await client(h(), key)
        .chat.completions.create({ model: CHAT, messages: MESSAGES, stream: true, stream_options: { include_usage: true } })
        .withResponse();
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      const last = chunks.at(-1)!;
      expect(last.choices).toEqual([]);
      expect(last.usage).toMatchObject({ prompt_tokens: promptTokens({ messages: MESSAGES }), completion_tokens: 5, total_tokens: promptTokens({ messages: MESSAGES }) + 5 });
      expect(chunks.slice(0, -1).filter((c) => c.usage)).toEqual([]);
      expect((await settledOnce(spend, response.headers.get("x-litellm-call-id"))).completion_tokens).toBe(5);
    });

    test("embeddings: the SDK's default base64 encoding round-trips, and the record counts input tokens", async () => {
      const { key, token } = await teamUserKey(h());
      const input = ["the quick brown fox", "jumps"];
      const before = mock.requests.length;

      const { data, response } = await client(h(), key).embeddings.create({ model: EMBED, input }).withResponse();

      expect(data.data.map((e) => e.index)).toEqual([0, 1]);
      expect(data.data[0]?.embedding).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
      expect(mock.requests.slice(before).map((r) => r.body.encoding_format)).toEqual(["base64"]);
      expectCallHeaders({ status: response.status, headers: response.headers, body: data }, { modelGroup: EMBED, modelId: "dep-embed" });
      expectRecord(await settledOnce(spend, response.headers.get("x-litellm-call-id")), {
        call_type: "aembedding",
        api_key: token,
        model_group: EMBED,
        model_id: "dep-embed",
        prompt_tokens: promptTokens({ input }),
        completion_tokens: 0,
        status: "success",
      });
    });

    test("embeddings with encoding_format float come back as numbers", async () => {
      const res = await client(h(), MASTER_KEY).embeddings.create({ model: EMBED, input: "hi", encoding_format: "float", dimensions: 3 });

      expect(res.data[0]?.embedding).toEqual([1, 0, 0]);
    });

    test("models.list() equals what the key may call", async () => {
      const { key: chatOnly } = await teamUserKey(h(), { models: [CHAT] });
      const list = async (apiKey: string) => {
        const ids: string[] = [];
        for await (const model of client(h(), apiKey).models.list()) ids.push(model.id);
        return ids;
      };

      expect(await list(chatOnly)).toEqual([CHAT]);
      expect(await list(MASTER_KEY)).toEqual([CHAT, EMBED, LIMITED]);
      expect((await client(h(), chatOnly).models.retrieve(CHAT)).id).toBe(CHAT);
      expect(await rejection(() => client(h(), chatOnly).models.retrieve(EMBED))).toBeInstanceOf(OpenAI.NotFoundError);
    });

    test("a bad key raises AuthenticationError (401) and settles nothing", async () => {
      const settled = spend.calls.length;

      const err = await rejection(() => client(h(), "sk-not-a-real-key").chat.completions.create({ model: CHAT, messages: MESSAGES }));

      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      const apiError = err as InstanceType<typeof OpenAI.AuthenticationError>;
      expect({ status: apiError.status, type: apiError.type, code: apiError.code }).toEqual({ status: 401, type: "token_not_found_in_db", code: "401" });
      await Bun.sleep(20);
      expect(spend.calls.length).toBe(settled);
    });

    test("a key restricted to /key/info raises PermissionDeniedError (403)", async () => {
      const { key } = await createKey(h(), { allowed_routes: ["/key/info"] });

      const err = await rejection(() => client(h(), key).chat.completions.create({ model: CHAT, messages: MESSAGES }));

      expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((err as InstanceType<typeof OpenAI.PermissionDeniedError>).status).toBe(403);
    });

    test("a model the key may not use raises AuthenticationError with type key_model_access_denied", async () => {
      const { key } = await teamUserKey(h(), { models: [CHAT] });

      const err = await rejection(() => client(h(), key).embeddings.create({ model: EMBED, input: "hi" }));

      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      const apiError = err as InstanceType<typeof OpenAI.AuthenticationError>;
      expect({ status: apiError.status, type: apiError.type, param: apiError.param }).toEqual({ status: 401, type: "key_model_access_denied", param: "model" });
      expect(apiError.error).toMatchObject({ type: "key_model_access_denied", message: `key not allowed to access model. This key can only access models=['${CHAT}']. Tried to access ${EMBED}` });
    });

    test("an unknown model raises BadRequestError (400)", async () => {
      const err = await rejection(() => client(h(), MASTER_KEY).chat.completions.create({ model: "no-such-model", messages: MESSAGES }));

      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).message).toContain("Invalid model name passed in model=no-such-model");
    });

    test("an upstream 429 raises RateLimitError (429) and settles one failure", async () => {
      const { key, token } = await teamUserKey(h());
      limited.script.push({ kind: "status", status: 429, message: "Rate limit reached for requests" });
      const before = spend.calls.length;

      const err = await rejection(() => client(h(), key).chat.completions.create({ model: LIMITED, messages: MESSAGES }));

      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      const apiError = err as InstanceType<typeof OpenAI.RateLimitError>;
      expect(apiError.status).toBe(429);
      expect(apiError.message).toContain("litellm.RateLimitError: Rate limit reached for requests");
      await spend.waitFor(before + 1);
      await Bun.sleep(20);
      const records = spend.calls.slice(before);
      expect(records.length).toBe(1);
      expect(records[0]).toMatchObject({ api_key: token, model_group: LIMITED, status: "failure", http_status: 429, model_id: null });
      expect(limited.script).toEqual([]);
    });

    test("after the 429 the same group answers again", async () => {
      const res = await client(h(), MASTER_KEY).chat.completions.create({ model: LIMITED, messages: MESSAGES });

      expect(res.choices[0]?.message.content).toBe(ANSWER_5);
    });
  },
  () => ({
    config: {
      model_list: [
        deployment(CHAT, mock, { id: "dep-mini" }),
        deployment(EMBED, mock, { id: "dep-embed", mode: "embedding" }),
        deployment(LIMITED, limited, { model: "openai/gpt-4o-mini", id: "dep-limited" }),
      ],
      router_settings: { num_retries: 0 },
    },
    spend,
  }),
);
