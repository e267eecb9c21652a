/**
 * A fake OpenAI-compatible API for the benchmarks: cheap to serve, deterministic,
 * with an optional fixed latency, so that what a proxy in front of it costs shows.
 *
 *   bun scripts/bench/mock-upstream.ts [--port 9100] [--host 127.0.0.1] [--latency-ms 0]
 *       [--chunk-delay-ms 0] [--completion-tokens 24] [--embed-dim 1536]
 *
 * - POST /v1/chat/completions: a chat.completion, or with "stream": true an SSE stream
 *   (a role chunk, one chunk per token, a finish_reason chunk; with
 *   stream_options.include_usage every chunk carries "usage": null and a last chunk with
 *   "choices": [] carries the usage; then "data: [DONE]").
 * - POST /v1/completions: the legacy text completion, same rules.
 * - POST /v1/embeddings: one fixed unit vector per input ("dimensions", "encoding_format").
 * - GET /v1/models, GET /health.  The /v1 prefix is optional.
 *
 * The latency is waited before the JSON answer, or before the first SSE chunk;
 * --chunk-delay-ms spaces the SSE chunks after that. Per request, `x-mock-latency-ms: N`
 * replaces the latency and `x-mock-status: 429` (any 4xx/5xx) answers that error.
 * Completion tokens = max_completion_tokens / max_tokens, else --completion-tokens;
 * prompt tokens ≈ 4 characters per token (+3 per message, +3), so usage is reproducible.
 */
import { parseArgs } from "node:util";

type Json = Record<string, unknown>;

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    port: { type: "string", default: "9100" },
    host: { type: "string", default: "127.0.0.1" },
    "latency-ms": { type: "string", default: "0" },
    "chunk-delay-ms": { type: "string", default: "0" },
    "completion-tokens": { type: "string", default: "24" },
    "embed-dim": { type: "string", default: "1536" },
  },
  strict: true,
});
const number = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, got ${values[name]}`);
  return n;
};
const LATENCY_MS = number("latency-ms");
const CHUNK_DELAY_MS = number("chunk-delay-ms");
const COMPLETION_TOKENS = Math.max(1, Math.floor(number("completion-tokens")));
const EMBED_DIM = Math.max(1, Math.floor(number("embed-dim")));

const MODELS = ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "gpt-3.5-turbo-instruct"];
const WORDS = "This is a mock answer from the benchmark upstream with a fixed text so that token counts costs and latencies repeat across runs".split(" ");

const sleep = (ms: number) => (ms > 0 ? Bun.sleep(ms) : undefined);
const countTokens = (text: string) => (text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4)));

/** The answer, one "token" (word) per element; cached by length. */
const answers = new Map<number, string[]>();
function answer(n: number): string[] {
  let tokens = answers.get(n);
  if (!tokens) {
    tokens = Array.from({ length: n }, (_, i) => (i === 0 ? "" : " ") + WORDS[i % WORDS.length]);
    answers.set(n, tokens);
  }
  return tokens;
}

function requestedTokens(body: Json): number {
  const raw = body.max_completion_tokens ?? body.max_tokens;
  return typeof raw === "number" && raw > 0 ? Math.min(Math.floor(raw), 4096) : COMPLETION_TOKENS;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof (part as Json | null)?.text === "string" ? ((part as Json).text as string) : "")).join(" ");
}

function promptTokens(body: Json): number {
  if (Array.isArray(body.messages)) {
    let total = 3;
    for (const m of body.messages as Json[]) total += 3 + countTokens(textOf(m?.content)) + (typeof m?.name === "string" ? 1 : 0);
    return total;
  }
  const input = body.prompt ?? body.input;
  const items = Array.isArray(input) ? input : [input];
  return items.reduce<number>((sum, item) => sum + (typeof item === "string" ? countTokens(item) : Array.isArray(item) ? item.length : 0), 0);
}

const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
});

let counter = 0;
const newId = (prefix: string) => `${prefix}-mock${Date.now().toString(36)}${(counter = (counter + 1) % 1e9).toString(36)}`;

const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });

function openaiError(status: number, message: string, type = "invalid_request_error", code: string | null = null): Response {
  return json({ error: { message, type, param: null, code } }, status);
}

const encoder = new TextEncoder();
const DONE = encoder.encode("data: [DONE]\n\n");

function sse(frames: Json[], firstDelayMs: number): Response {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        await sleep(firstDelayMs);
        for (let i = 0; i < frames.length; i++) {
          if (i > 0) await sleep(CHUNK_DELAY_MS);
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(frames[i])}\n\n`));
        }
        controller.enqueue(DONE);
        controller.close();
      } catch {
        // the client went away
      }
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}

async function complete(kind: "chat" | "text", body: Json, delayMs: number): Promise<Response> {
  if (kind === "chat" && (!Array.isArray(body.messages) || body.messages.length === 0)) return openaiError(400, "'messages' must be a non-empty array");
  if (kind === "text" && body.prompt === undefined) return openaiError(400, "'prompt' is required");
  const model = typeof body.model === "string" ? body.model : kind === "chat" ? "gpt-4o-mini" : "gpt-3.5-turbo-instruct";
  const tokens = answer(requestedTokens(body));
  const finish = body.max_completion_tokens || body.max_tokens ? "length" : "stop";
  const base = { id: newId(kind === "chat" ? "chatcmpl" : "cmpl"), created: Math.floor(Date.now() / 1000), model, system_fingerprint: "fp_mock0001" };
  const prompt = promptTokens(body);

  if (body.stream === true) {
    const withUsage = (body.stream_options as Json | undefined)?.include_usage === true;
    const extra = withUsage ? { usage: null } : {};
    const object = kind === "chat" ? "chat.completion.chunk" : "text_completion";
    const choice = (content: string | null, finishReason: string | null) =>
      kind === "chat"
        ? { index: 0, delta: content === null ? {} : { content }, logprobs: null, finish_reason: finishReason }
        : { index: 0, text: content ?? "", logprobs: null, finish_reason: finishReason };
    const frames: Json[] = [];
    if (kind === "chat") frames.push({ ...base, object, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }], ...extra });
    for (const t of tokens) frames.push({ ...base, object, choices: [choice(t, null)], ...extra });
    frames.push({ ...base, object, choices: [choice(null, finish)], ...extra });
    if (withUsage) frames.push({ ...base, object, choices: [], usage: usage(prompt, tokens.length) });
    return sse(frames, delayMs);
  }

  await sleep(delayMs);
  const text = tokens.join("");
  const choice =
    kind === "chat"
      ? { index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: finish }
      : { index: 0, text, logprobs: null, finish_reason: finish };
  return json({ ...base, object: kind === "chat" ? "chat.completion" : "text_completion", choices: [choice], usage: usage(prompt, tokens.length) });
}

const vectors = new Map<number, { floats: number[]; base64: string }>();
function vector(dim: number) {
  let v = vectors.get(dim);
  if (!v) {
    const floats = Array.from({ length: dim }, () => Math.round((1 / Math.sqrt(dim)) * 1e6) / 1e6);
    v = { floats, base64: Buffer.from(new Float32Array(floats).buffer).toString("base64") };
    vectors.set(dim, v);
  }
  return v;
}

async function embeddings(body: Json, delayMs: number): Promise<Response> {
  const inputs = typeof body.input === "string" ? [body.input] : Array.isArray(body.input) && body.input.length > 0 ? body.input : null;
  if (!inputs) return openaiError(400, "'input' must be a string or a non-empty array");
  const dim = typeof body.dimensions === "number" && body.dimensions > 0 ? Math.min(Math.floor(body.dimensions), 8192) : EMBED_DIM;
  const v = vector(dim);
  const embedding = body.encoding_format === "base64" ? v.base64 : v.floats;
  const tokens = promptTokens(body);
  await sleep(delayMs);
  return json({
    object: "list",
    data: inputs.map((_, index) => ({ object: "embedding", index, embedding })),
    model: typeof body.model === "string" ? body.model : "text-embedding-3-small",
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

const server = Bun.serve({
  port: Number(values.port),
  hostname: values.host,
  idleTimeout: 255, // slow streams must not be cut by the idle timer
  async fetch(req) {
    const url = new URL(req.url);
    const path = url.pathname.startsWith("/v1/") ? url.pathname.slice(3) : url.pathname;
    if (path === "/health" || path === "/") return json({ status: "ok" });

    const forced = Number(req.headers.get("x-mock-status"));
    if (Number.isInteger(forced) && forced >= 400 && forced <= 599) {
      return openaiError(forced, `mock upstream forced status ${forced}`, forced === 429 ? "rate_limit_exceeded" : forced >= 500 ? "server_error" : "invalid_request_error");
    }
    if (req.method === "GET" && path === "/models") {
      return json({ object: "list", data: MODELS.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "mock-upstream" })) });
    }
    if (req.method === "POST" && (path === "/chat/completions" || path === "/completions" || path === "/embeddings")) {
      let body: Json;
      try {
        body = (await req.json()) as Json;
        if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
      } catch {
        return openaiError(400, "could not parse the JSON body of your request");
      }
      const header = req.headers.get("x-mock-latency-ms");
      const delay = header !== null && Number(header) >= 0 ? Number(header) : LATENCY_MS;
      if (path === "/embeddings") return embeddings(body, delay);
      return complete(path === "/chat/completions" ? "chat" : "text", body, delay);
    }
    return openaiError(404, `Unknown request URL: ${req.method} ${url.pathname}`, "invalid_request_error", "unknown_url");
  },
  error(err) {
    return openaiError(500, `mock upstream error: ${err.message}`, "server_error");
  },
});

console.log(`mock-upstream listening on http://${values.host}:${server.port} (latency ${LATENCY_MS} ms, chunk delay ${CHUNK_DELAY_MS} ms)`);

const shutdown = () => {
  void server.stop(true);
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
