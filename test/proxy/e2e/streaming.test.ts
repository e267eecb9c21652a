/**
 * Streaming through the gateway, end to end (API.md §3, CONVENTIONS habit 9): SSE is
 * relayed chunk by chunk, ends with exactly one `[DONE]`, usage is always requested from
 * the upstream but shown to the client only when it asked, every stream settles exactly
 * one record, a client that leaves cancels the upstream call, and an upstream that dies
 * mid-stream is reported in the stream rather than truncated silently.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import type { SettledCall } from "../../../src/spend/settlement.ts";
import { describeStores, type Harness, MASTER_KEY } from "../../support/harness.ts";
import { ANSWER, completionTokens, type MockOpenAI, promptTokens, startMockOpenAI } from "../../support/mock-openai.ts";
import { jsonChunks, readAllEvents, sseEvents, streamedText, type TimedEvent } from "../../support/sse-client.ts";
import { RecordingSpend } from "../../support/spend.ts";

const MESSAGES = [{ role: "user", content: "Tell me something, slowly." }];

function streamRequest(h: Harness, path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(h.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ stream: true, ...body }),
    signal,
  });
}

/** The one settled record of a call, once the stream behind it has ended. */
async function settled(spend: RecordingSpend, res: Response): Promise<SettledCall> {
  const callId = res.headers.get("x-litellm-call-id");
  expect(callId).toBeTruthy();
  const deadline = Date.now() + 3_000;
  while (!spend.byCallId(callId) && Date.now() < deadline) await Bun.sleep(5);
  await Bun.sleep(20); // a second record would arrive right behind the first
  const records = spend.calls.filter((c) => c.call_id === callId);
  expect(records.length).toBe(1);
  return records[0]!;
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/**
 * Upstreams that break a stream after its headers went out, at the HTTP level: one drops
 * the connection in the middle of a chunked body (a crash or network cut), the other ends
 * the body cleanly but without `[DONE]` (a server that gave up). mock-openai's
 * `die-mid-stream` cannot stand in here: with no delay its stream errors before the
 * response headers are written, so the gateway sees a connection reset and retries.
 */
function startBrokenUpstreams() {
  const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
  const event = (content: string) => `data: ${JSON.stringify({ id: "chatcmpl-broken", object: "chat.completion.chunk", created: 1, model: "broken", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  let requests = 0;
  const dropping = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, data) {
        if (!data.toString().includes("\r\n\r\n")) return;
        requests += 1;
        socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
        socket.write(chunk(event("Hel")));
        setTimeout(() => socket.write(chunk(event("lo"))), 20);
        // No terminating zero-length chunk: the body is cut short (well after "lo", so a busy
        // machine cannot merge the two and lose "lo" to the reset).
        setTimeout(() => socket.end(), 200);
      },
    },
  });
  const truncating = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => new Response(event("Hel") + event("lo"), { headers: { "content-type": "text/event-stream" } }),
  });
  return {
    droppingUrl: `http://127.0.0.1:${dropping.port}`,
    truncatingUrl: `http://127.0.0.1:${truncating.port}`,
    requests: () => requests,
    close: async () => {
      dropping.stop(true);
      await truncating.stop(true);
    },
  };
}

const doneCount = (events: readonly TimedEvent[]) => events.filter((e) => e.data === "[DONE]").length;
const usageOnly = (events: readonly TimedEvent[]) => jsonChunks(events).filter((c) => Array.isArray(c.choices) && c.choices.length === 0 && c.usage);

describe("streaming e2e", () => {
  let mock: MockOpenAI;
  let broken: ReturnType<typeof startBrokenUpstreams>;
  const spend = new RecordingSpend();

  beforeAll(() => {
    mock = startMockOpenAI();
    broken = startBrokenUpstreams();
  });
  afterAll(async () => {
    await mock.close();
    await broken.close();
  });
  afterEach(() => {
    mock.script = [];
  });

  const options = () => ({
    spend,
    config: {
      model_list: [
        { model_name: "stream-chat", litellm_params: { model: "openai/mock-stream", api_base: `${mock.url}/v1`, api_key: "sk-upstream-stream" } },
        { model_name: "stream-text", litellm_params: { model: "openai/mock-instruct", api_base: `${mock.url}/v1`, api_key: "sk-upstream-stream" } },
        { model_name: "stream-drops", litellm_params: { model: "openai/broken", api_base: `${broken.droppingUrl}/v1`, api_key: "sk-upstream-stream" } },
        { model_name: "stream-truncated", litellm_params: { model: "openai/broken", api_base: `${broken.truncatingUrl}/v1`, api_key: "sk-upstream-stream" } },
      ],
    },
  });

  describeStores(
    "SSE relay",
    (h) => {
      test("chunks reach the client as the upstream sends them, not all at the end", async () => {
        mock.script = [{ kind: "slow-stream", chunks: 6, delayMs: 100 }];
        const started = performance.now();
        const res = await streamRequest(h(), "/v1/chat/completions", { model: "stream-chat", messages: MESSAGES });

        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toStartWith("text/event-stream");
        const events = await readAllEvents(res, started);
        const content = jsonChunks(events).filter((c) => typeof c.choices?.[0]?.delta?.content === "string" && c.choices[0].delta.content !== "");
        expect(content.length).toBe(6);
        const arrivals = events.filter((e) => e.data.includes('"content":"') && !e.data.includes('"content":""')).map((e) => e.at);
        // Six chunks 100 ms apart: the first arrives about half a second before the last.
        expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(350);
        expect(arrivals[0]!).toBeLessThan(arrivals.at(-1)! - 350);
      });

      test("the stream ends with exactly one data: [DONE], and nothing after it", async () => {
        const res = await streamRequest(h(), "/v1/chat/completions", { model: "stream-chat", messages: MESSAGES });

        const events = await readAllEvents(res);
        expect(doneCount(events)).toBe(1);
        expect(events.at(-1)!.data).toBe("[DONE]");
        expect(streamedText(events)).toBe(ANSWER.slice(0, 5).join(""));
        expect(jsonChunks(events).every((c) => c.object === "chat.completion.chunk")).toBe(true);
      });

      test("usage is requested from the upstream even when the client did not ask, and the usage chunk is not shown to it", async () => {
        const from = mock.requests.length;
        const res = await streamRequest(h(), "/v1/chat/completions", { model: "stream-chat", messages: MESSAGES, max_tokens: 7 });

        const events = await readAllEvents(res);
        const upstream = mock.requests.slice(from);
        expect(upstream.length).toBe(1);
        expect(upstream[0]!.body.stream).toBe(true);
        expect(upstream[0]!.body.stream_options).toEqual({ include_usage: true });
        expect(usageOnly(events)).toEqual([]);
        expect(jsonChunks(events).some((c) => c.usage)).toBe(false);
        expect(doneCount(events)).toBe(1);

        const record = await settled(spend, res);
        expect(record).toMatchObject({
          status: "success",
          stream: true,
          prompt_tokens: promptTokens(upstream[0]!.body),
          completion_tokens: 7,
          usage_estimated: false,
        });
      });

      test("a client that asks for usage gets the usage chunk, with the upstream's counts, before [DONE]", async () => {
        const from = mock.requests.length;
        const res = await streamRequest(h(), "/v1/chat/completions", {
          model: "stream-chat",
          messages: MESSAGES,
          stream_options: { include_usage: true },
        });

        const events = await readAllEvents(res);
        const body = mock.requests[from]!.body;
        const usage = { prompt_tokens: promptTokens(body), completion_tokens: completionTokens(body), total_tokens: promptTokens(body) + completionTokens(body) };
        expect(usageOnly(events).map((c) => c.usage)).toEqual([usage]);
        expect(events.at(-2)!.data).toContain('"usage"');
        expect(events.at(-1)!.data).toBe("[DONE]");

        const record = await settled(spend, res);
        expect(record).toMatchObject({ status: "success", prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, usage_estimated: false });
      });

      test("an upstream that never reports usage is settled with locally counted tokens, marked estimated", async () => {
        mock.script = [{ kind: "no-usage" }];
        const res = await streamRequest(h(), "/v1/chat/completions", { model: "stream-chat", messages: MESSAGES, stream_options: { include_usage: true } });

        const events = await readAllEvents(res);
        expect(usageOnly(events)).toEqual([]);
        expect(doneCount(events)).toBe(1);

        const record = await settled(spend, res);
        expect(record.status).toBe("success");
        expect(record.usage_estimated).toBe(true);
        expect(record.prompt_tokens).toBeGreaterThan(0);
        expect(record.completion_tokens).toBeGreaterThan(0);
      });

      test("a client that disconnects mid-stream cancels the upstream request and settles a failure naming the client", async () => {
        mock.script = [{ kind: "slow-stream", chunks: 30, delayMs: 100 }];
        const abortedBefore = mock.abortedStreams;
        const controller = new AbortController();
        const res = await streamRequest(h(), "/v1/chat/completions", { model: "stream-chat", messages: MESSAGES }, controller.signal);
        expect(res.status).toBe(200);

        for await (const event of sseEvents(res, performance.now())) {
          if (event.data.includes('"content":"') && !event.data.includes('"content":""')) break;
        }
        await waitUntil(() => mock.openStreams() === 1, "the upstream stream to be open");
        controller.abort();

        await waitUntil(() => mock.abortedStreams === abortedBefore + 1, "the upstream to see the request cancelled");
        await waitUntil(() => mock.openStreams() === 0, "no upstream stream left open");
        const record = await settled(spend, res);
        expect(record.status).toBe("failure");
        expect(record.error ?? "").toMatch(/client/i);
        expect(record.stream).toBe(true);
      });

      test("a client that leaves before a non-streamed answer arrives cancels the call: no retry, a failure naming the client", async () => {
        mock.script = [{ kind: "latency", ms: 800 }];
        const from = mock.requests.length;
        const controller = new AbortController();
        const pending = fetch(h().url + "/v1/chat/completions", {
          method: "POST",
          headers: { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "stream-chat", messages: MESSAGES }),
          signal: controller.signal,
        }).catch((error: unknown) => error);
        await waitUntil(() => mock.requests.length === from + 1, "the call to reach the upstream");
        const settledBefore = spend.calls.length;

        controller.abort();

        expect(await pending).toBeInstanceOf(Error);
        await waitUntil(() => spend.calls.length > settledBefore, "the call to settle");
        const record = spend.calls.at(-1)!;
        expect(record.status).toBe("failure");
        expect(record.error ?? "").toMatch(/client/i);
        expect(mock.requests.length).toBe(from + 1);
      });

      test("an upstream that dies mid-stream ends the client stream with an error event and [DONE], and settles a failure", async () => {
        const before = broken.requests();
        const res = await streamRequest(h(), "/v1/chat/completions", { model: "stream-drops", messages: MESSAGES });
        expect(res.status).toBe(200);

        const events = await readAllEvents(res);
        // What arrived before the failure was relayed, then the failure itself, then [DONE].
        expect(streamedText(events)).toBe("Hello");
        const last = JSON.parse(events.at(-2)!.data) as { error?: { message?: unknown; code?: unknown } };
        expect(last.error?.message).toEqual(expect.stringContaining("upstream"));
        expect(events.at(-1)!.data).toBe("[DONE]");
        expect(doneCount(events)).toBe(1);
        // Nothing was retried once bytes had reached the client.
        expect(broken.requests()).toBe(before + 1);

        const record = await settled(spend, res);
        expect(record.status).toBe("failure");
        expect(record.error).toEqual(expect.stringContaining("upstream"));
      });

      test("an upstream stream that ends without [DONE] is reported as cut short, not passed off as complete", async () => {
        const res = await streamRequest(h(), "/v1/chat/completions", { model: "stream-truncated", messages: MESSAGES });

        const events = await readAllEvents(res);
        expect(streamedText(events)).toBe("Hello");
        const last = JSON.parse(events.at(-2)!.data) as { error?: { message?: unknown } };
        expect(last.error?.message).toEqual(expect.stringContaining("ended before it was complete"));
        expect(events.at(-1)!.data).toBe("[DONE]");
        expect(doneCount(events)).toBe(1);

        const record = await settled(spend, res);
        expect(record.status).toBe("failure");
      });

      test("legacy /v1/completions streams text chunks, ends with one [DONE] and settles the upstream's usage", async () => {
        const from = mock.requests.length;
        const started = performance.now();
        const res = await streamRequest(h(), "/v1/completions", { model: "stream-text", prompt: "Once upon a time", max_tokens: 4 });

        expect(res.status).toBe(200);
        expect(res.headers.get("x-litellm-model-group")).toBe("stream-text");
        const events = await readAllEvents(res, started);
        expect(mock.requests[from]!.path).toBe("/v1/completions");
        expect(mock.requests[from]!.body).toMatchObject({ model: "mock-instruct", prompt: "Once upon a time", stream: true, stream_options: { include_usage: true } });
        expect(jsonChunks(events).every((c) => c.object === "text_completion")).toBe(true);
        expect(streamedText(events)).toBe(ANSWER.slice(0, 4).join(""));
        expect(events.at(-1)!.data).toBe("[DONE]");
        expect(doneCount(events)).toBe(1);
        expect(usageOnly(events)).toEqual([]);

        const record = await settled(spend, res);
        expect(record).toMatchObject({ status: "success", call_type: "atext_completion", completion_tokens: 4, usage_estimated: false });
        expect(record.prompt_tokens).toBe(promptTokens(mock.requests[from]!.body));
      });
    },
    options,
  );
});
