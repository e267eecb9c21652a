/**
 * An in-process OpenAI-compatible upstream for tests, speaking OpenAI's wire format:
 * chat completions (JSON, or SSE with `stream: true`, plus a usage chunk when
 * `stream_options.include_usage`), legacy completions, embeddings (floats, or base64
 * with `encoding_format: "base64"`), and Azure's
 * `/openai/deployments/{name}/…?api-version=` paths. Token counts are deterministic:
 *
 *   prompt tokens     = 3 + Σ(3 + ceil(chars/4)) over messages (chat), ceil(chars/4) per input otherwise
 *   completion tokens = max_tokens / max_completion_tokens, else 5
 *
 * Tests steer it per request with headers or per server with `script`:
 *   x-mock-status: 503          answer with that status and an OpenAI error body
 *   x-mock-latency-ms: 200      wait before answering
 * and inspect every request it received in `requests`.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export type MockBehaviour =
  | { kind: "status"; status: number; message?: string; headers?: Record<string, string> }
  | { kind: "latency"; ms: number }
  /** Stream a few chunks, then drop the connection without [DONE]. */
  | { kind: "die-mid-stream" }
  /** Stream without ever sending a usage chunk (tests local token counting). */
  | { kind: "no-usage" }
  /** A JSON answer whose body breaks off after its first bytes (headers already sent). */
  | { kind: "die-mid-body" }
  /** Stream slowly: `chunks` chunks `delayMs` apart (disconnect tests). */
  | { kind: "slow-stream"; chunks: number; delayMs: number };

export interface MockOpenAI {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Behaviours consumed one per request, in order; when empty, requests succeed. */
  script: MockBehaviour[];
  /** Requests whose response body has not finished (streams in flight). */
  openStreams(): number;
  /** Streams the client went away from before they finished. */
  abortedStreams: number;
  close(): Promise<void>;
}

export const ANSWER = ["Hello", " from", " the", " mock", " upstream", ".", " It", " repeats", " itself", "."];

const encoder = new TextEncoder();

export function promptTokens(body: Record<string, unknown>): number {
  const chars = (text: string) => (text.length === 0 ? 0 : Math.ceil(text.length / 4));
  if (Array.isArray(body.messages)) {
    return 3 + (body.messages as { content?: unknown }[]).reduce((sum, m) => sum + 3 + chars(typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? "")), 0);
  }
  const input = body.prompt ?? body.input ?? "";
  const inputs = Array.isArray(input) ? input : [input];
  return inputs.reduce((sum: number, i) => sum + chars(String(i)), 0);
}

export function completionTokens(body: Record<string, unknown>): number {
  const max = body.max_completion_tokens ?? body.max_tokens;
  return typeof max === "number" ? max : 5;
}

const sse = (data: unknown) => encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

export function startMockOpenAI(): MockOpenAI {
  let open = 0;
  const state = { requests: [] as RecordedRequest[], script: [] as MockBehaviour[], abortedStreams: 0 };

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 60,
    async fetch(req) {
      const url = new URL(req.url);
      const body = req.method === "POST" ? ((await req.json().catch(() => ({}))) as Record<string, unknown>) : {};
      state.requests.push({ method: req.method, path: url.pathname, search: url.search, headers: Object.fromEntries(req.headers), body });

      const behaviour = state.script.shift();
      const status = Number(req.headers.get("x-mock-status") ?? (behaviour?.kind === "status" ? behaviour.status : 200));
      const latency = Number(req.headers.get("x-mock-latency-ms") ?? (behaviour?.kind === "latency" ? behaviour.ms : 0));
      if (latency > 0) await Bun.sleep(latency);
      if (status !== 200) {
        const message = behaviour?.kind === "status" && behaviour.message ? behaviour.message : `mock failure ${status}`;
        return Response.json(
          { error: { message, type: status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error", param: null, code: String(status) } },
          { status, headers: behaviour?.kind === "status" ? behaviour.headers : undefined },
        );
      }

      const path = url.pathname.replace(/^\/openai\/deployments\/[^/]+/, "").replace(/^\/v1/, "");
      const model = String(body.model ?? url.pathname.match(/deployments\/([^/]+)/)?.[1] ?? "mock-model");
      if (path === "/embeddings") return Response.json(embeddings(body, model));
      if (path !== "/chat/completions" && path !== "/completions") return Response.json({ error: { message: "not found", type: "invalid_request_error", param: null, code: "404" } }, { status: 404 });

      const chat = path === "/chat/completions";
      const prompt = promptTokens(body);
      const completion = completionTokens(body);
      const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
      const words = Array.from({ length: completion }, (_, i) => ANSWER[i % ANSWER.length]!);
      const id = `chatcmpl-mock${state.requests.length}`;
      const created = 1_700_000_000;
      if (behaviour?.kind === "die-mid-body") {
        const half = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('{"id":"chatcmpl-broken","object":"chat.completion","choi'));
            await Bun.sleep(5);
            controller.error(new Error("mock upstream died mid-body"));
          },
        });
        return new Response(half, { headers: { "content-type": "application/json" } });
      }
      if (body.stream !== true) {
        const choice = chat
          ? { index: 0, message: { role: "assistant", content: words.join(""), refusal: null }, logprobs: null, finish_reason: "stop" }
          : { index: 0, text: words.join(""), logprobs: null, finish_reason: "stop" };
        return Response.json({ id, object: chat ? "chat.completion" : "text_completion", created, model, choices: [choice], usage, system_fingerprint: "fp_mock" });
      }

      const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true && behaviour?.kind !== "no-usage";
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
        id,
        object: chat ? "chat.completion.chunk" : "text_completion",
        created,
        model,
        system_fingerprint: "fp_mock",
        choices: [chat ? { index: 0, delta, logprobs: null, finish_reason: finish } : { index: 0, text: delta.content ?? "", logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      });
      const delay = behaviour?.kind === "slow-stream" ? behaviour.delayMs : 0;
      const count = behaviour?.kind === "slow-stream" ? behaviour.chunks : words.length;
      const die = behaviour?.kind === "die-mid-stream";
      let cancelled = false;
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          open++;
          try {
            if (chat) controller.enqueue(sse(chunk({ role: "assistant", content: "" }, null)));
            for (let i = 0; i < count && !cancelled; i++) {
              // Dying "mid-stream" must happen after the headers went out, so give them a moment.
              if (delay || die) await Bun.sleep(delay || 5);
              if (cancelled) break;
              controller.enqueue(sse(chunk({ content: words[i % words.length] }, null)));
              if (die && i === 1) {
                controller.error(new Error("mock upstream died"));
                return;
              }
            }
            if (cancelled) return;
            controller.enqueue(sse(chunk({}, "stop")));
            if (includeUsage) controller.enqueue(sse({ id, object: "chat.completion.chunk", created, model, choices: [], usage }));
            controller.enqueue(sse("[DONE]"));
            controller.close();
          } finally {
            open--;
          }
        },
        cancel() {
          cancelled = true;
          state.abortedStreams++;
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port!,
    get requests() {
      return state.requests;
    },
    get script() {
      return state.script;
    },
    set script(value) {
      state.script = value;
    },
    get abortedStreams() {
      return state.abortedStreams;
    },
    openStreams: () => open,
    close: () => server.stop(true),
  };
}

function embeddings(body: Record<string, unknown>, model: string) {
  const input = body.input;
  const inputs = Array.isArray(input) ? input : [input];
  const dims = typeof body.dimensions === "number" ? body.dimensions : 8;
  const tokens = promptTokens(body);
  return {
    object: "list",
    data: inputs.map((_, index) => {
      const vector = Array.from({ length: dims }, (_, i) => (i === 0 ? 1 : 0));
      // As OpenAI does: `encoding_format: "base64"` (the openai SDK's default) sends little-endian float32s.
      const embedding = body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
      return { object: "embedding", index, embedding };
    }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
