/**
 * An in-process Anthropic Messages API upstream for tests, speaking the real wire format:
 *
 *   POST /v1/messages  → a `message` JSON body, or with `stream: true` the SSE sequence
 *   message_start, content_block_start, ping, content_block_delta…, content_block_stop,
 *   message_delta (stop_reason + output usage), message_stop.
 *
 * Like the real API it refuses what Anthropic refuses, with `{"type":"error","error":{…}}`:
 * no `x-api-key` (401 authentication_error), no `anthropic-version`, no `max_tokens`, a
 * `system` role inside `messages` or turns that do not alternate (400 invalid_request_error).
 *
 * Token counts are deterministic: input = 10 + Σ ceil(chars/4) over the system prompt and
 * the messages (as JSON when not plain text); output = 2 per text delta or tool call.
 *
 * Tests steer it with `script` (one behaviour consumed per request) and read `requests`.
 */

export interface RecordedAnthropicRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export type AnthropicBehaviour =
  /** Answer with this status and an Anthropic error body of `errorType`. */
  | { kind: "error"; status: number; errorType: string; message: string }
  /** Answer with a tool_use block (after an optional text block), stop_reason "tool_use". */
  | { kind: "tool-use"; id: string; name: string; input: Record<string, unknown>; text?: string }
  /** Stream a couple of text deltas, then an `error` event (what an overload mid-stream looks like). */
  | { kind: "stream-error"; errorType: string; message: string };

export interface MockAnthropic {
  url: string;
  requests: RecordedAnthropicRequest[];
  /** Behaviours consumed one per request, in order; when empty, requests get the default text answer. */
  script: AnthropicBehaviour[];
  close(): Promise<void>;
}

/** The default answer, one text delta per piece. */
export const CLAUDE_ANSWER = ["Hello", " from", " the", " mock", " Claude", "."];

const encoder = new TextEncoder();

const chars = (text: string) => (text.length === 0 ? 0 : Math.ceil(text.length / 4));
const textOf = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value ?? ""));

/** The `input_tokens` the mock reports for a request body. */
export function anthropicInputTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
  return 10 + chars(body.system === undefined ? "" : textOf(body.system)) + messages.reduce((sum, m) => sum + chars(textOf(m.content)), 0);
}

const error = (status: number, type: string, message: string) =>
  Response.json({ type: "error", error: { type, message }, request_id: `req_mock_${status}` }, { status, headers: { "request-id": `req_mock_${status}` } });

/** What the real API says about a malformed request, or null when it would accept it. */
function validate(headers: Headers, body: Record<string, unknown>): Response | null {
  if (!headers.get("x-api-key")) return error(401, "authentication_error", "x-api-key header is required");
  if (!headers.get("anthropic-version")) return error(400, "invalid_request_error", "anthropic-version: header is required");
  if (typeof body.model !== "string") return error(400, "invalid_request_error", "model: Field required");
  if (typeof body.max_tokens !== "number") return error(400, "invalid_request_error", "max_tokens: Field required");
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return error(400, "invalid_request_error", "messages: Field required");
  let previous: unknown = null;
  for (const [i, m] of (messages as { role?: unknown }[]).entries()) {
    if (m.role !== "user" && m.role !== "assistant") {
      return error(400, "invalid_request_error", `messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (m.role === previous) {
      return error(400, "invalid_request_error", `messages: roles must alternate between "user" and "assistant", but found multiple "${m.role}" roles in a row`);
    }
    previous = m.role;
  }
  for (const key of ["stream_options", "n", "logit_bias", "presence_penalty", "frequency_penalty", "response_format"]) {
    if (key in body) return error(400, "invalid_request_error", `${key}: Extra inputs are not permitted`);
  }
  return null;
}

const event = (type: string, data: Record<string, unknown>) => encoder.encode(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);

export function startMockAnthropic(): MockAnthropic {
  const state = { requests: [] as RecordedAnthropicRequest[], script: [] as AnthropicBehaviour[] };
  let sequence = 0;

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 60,
    async fetch(req) {
      const url = new URL(req.url);
      const body = req.method === "POST" ? ((await req.json().catch(() => ({}))) as Record<string, unknown>) : {};
      state.requests.push({ method: req.method, path: url.pathname + url.search, headers: Object.fromEntries(req.headers), body });
      if (req.method !== "POST" || url.pathname !== "/v1/messages") return error(404, "not_found_error", `Not found: ${req.method} ${url.pathname}`);

      const behaviour = state.script.shift();
      const invalid = validate(req.headers, body);
      if (invalid) return invalid;
      if (behaviour?.kind === "error") return error(behaviour.status, behaviour.errorType, behaviour.message);

      sequence += 1;
      const id = `msg_mock${sequence}`;
      const model = String(body.model);
      const input = anthropicInputTokens(body);
      const tool = behaviour?.kind === "tool-use" ? behaviour : null;
      const texts = tool ? (tool.text ? [tool.text] : []) : CLAUDE_ANSWER;
      const output = 2 * texts.length + (tool ? 2 : 0);
      const stopReason = tool ? "tool_use" : "end_turn";
      const usage = { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: output, service_tier: "standard" };

      if (body.stream !== true) {
        const content: Record<string, unknown>[] = [];
        if (texts.length > 0) content.push({ type: "text", text: texts.join("") });
        if (tool) content.push({ type: "tool_use", id: tool.id, name: tool.name, input: tool.input });
        return Response.json({ model, id, type: "message", role: "assistant", content, stop_reason: stopReason, stop_sequence: null, usage }, { headers: { "request-id": `req_${id}` } });
      }

      const failMidway = behaviour?.kind === "stream-error" ? behaviour : null;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(
            event("message_start", {
              message: { model, id, type: "message", role: "assistant", content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
            }),
          );
          let index = 0;
          if (texts.length > 0) {
            controller.enqueue(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
            controller.enqueue(event("ping", {}));
            for (const [i, text] of texts.entries()) {
              controller.enqueue(event("content_block_delta", { index, delta: { type: "text_delta", text } }));
              if (failMidway && i === 1) {
                controller.enqueue(event("error", { error: { type: failMidway.errorType, message: failMidway.message } }));
                controller.close();
                return;
              }
            }
            controller.enqueue(event("content_block_stop", { index }));
            index += 1;
          }
          if (tool) {
            controller.enqueue(event("content_block_start", { index, content_block: { type: "tool_use", id: tool.id, name: tool.name, input: {} } }));
            const json = JSON.stringify(tool.input);
            const cut = Math.floor(json.length / 2);
            for (const partial_json of ["", json.slice(0, cut), json.slice(cut)]) {
              controller.enqueue(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } }));
            }
            controller.enqueue(event("content_block_stop", { index }));
          }
          controller.enqueue(event("message_delta", { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: output } }));
          controller.enqueue(event("message_stop", {}));
          controller.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "request-id": `req_${id}` } });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    get requests() {
      return state.requests;
    },
    get script() {
      return state.script;
    },
    set script(value) {
      state.script = value;
    },
    close: () => server.stop(true),
  };
}
