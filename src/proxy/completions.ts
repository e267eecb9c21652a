/**
 * The request path of /chat/completions, /completions and /embeddings:
 * authenticate → check model access → route to a deployment (retries, fallbacks) →
 * relay the answer (JSON, or SSE chunk by chunk) → settle exactly one record.
 * A cached key costs no database round trip; nothing here writes to the database.
 */
import { checkModelAccess, type ModelCatalog } from "../auth/model-access.ts";
import type { Principal } from "../auth/principal.ts";
import type { Json } from "../db/json.ts";
import { ApiError, badRequest } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { SpendRecorder } from "../spend/settlement.ts";
import { VERSION } from "../version.ts";
import { type AdmissionDeps, admitCall } from "./admission.ts";
import { toClientError } from "./client-error.ts";
import { endUserOf } from "./end-user.ts";
import { relayStream, type StreamEnd } from "./relay.ts";
import { settler, spendMetadata } from "./settle.ts";
import type { Router } from "./router/execute.ts";
import { countPromptTokens, countTextTokens } from "./tokenizer.ts";
import type { Deployment, Endpoint, OpenAIBody, Usage, UpstreamError } from "./types.ts";
import { emptyUsage } from "./types.ts";
import { callUpstream } from "./upstream.ts";

export interface CompletionDeps {
  /** Resolves the caller; null when auth is off (no master key configured). */
  authenticate: (request: Request, path: string) => Promise<Principal | null>;
  catalog: ModelCatalog;
  groups: ReadonlyMap<string, readonly Deployment[]>;
  router: Router;
  admission: AdmissionDeps;
  spend: SpendRecorder;
  dropParams: boolean;
  userHeaderName: string | null;
  /** `store_prompts_in_spend_logs`: keep request messages and answers in the spend log. */
  storePrompts: boolean;
  log: Logger;
}

export interface CallInput {
  endpoint: Endpoint;
  request: Request;
  path: string;
  body: unknown;
  /** Model taken from the path (Azure-style routes), overriding the body. */
  pathModel?: string;
}

/** nginx's "client closed request": how a call the client abandoned is settled. */
const CLIENT_CLOSED = 499;

const CALL_TYPES = { chat: "acompletion", completion: "atext_completion", embedding: "aembedding" } as const;
const ROUTE_LABEL = { chat: "/chat/completions", completion: "/completions", embedding: "/embeddings" } as const;

export function createCompletionHandler(deps: CompletionDeps) {
  const { router } = deps;

  return async function handle(input: CallInput): Promise<Response> {
    const startTime = new Date();
    const started = performance.now();
    // Time-ordered (UUIDv7): spend-log rows, keyed by this id, append at the end of the
    // primary-key index instead of landing on random pages of it.
    const callId = Bun.randomUUIDv7();
    const principal = await deps.authenticate(input.request, input.path);

    const body = requireObject(input.body);
    const requested = input.pathModel ?? body.model;
    if (typeof requested !== "string" || requested === "") throw badRequest("Missing required parameter: model.", "model");
    const ctx = { key: principal?.key ?? null, team: principal?.team ?? null, user: principal?.user ?? null, catalog: deps.catalog, route: ROUTE_LABEL[input.endpoint] };
    const access = checkModelAccess(requested, ctx);
    if (!access.ok) throw access.error;
    const clientFallbacks = allowedFallbacks(body.fallbacks, ctx);

    const stream = body.stream === true && input.endpoint !== "embedding";
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const upstreamBody: OpenAIBody = input.pathModel ? { ...body, model: input.pathModel } : body;
    const endUser = endUserOf(input.request.headers, body, deps.userHeaderName);
    const settle = settler(deps.spend, {
      callId,
      callType: CALL_TYPES[input.endpoint],
      principal,
      endUser,
      modelGroup: access.group,
      requestedModel: requested,
      stream,
      startTime,
      metadata: spendMetadata(body),
      messages: deps.storePrompts ? ((body.messages ?? body.prompt ?? body.input ?? null) as Json) : undefined,
    });

    const admitted = await admitCall(deps.admission, { principal, endUserId: endUser, group: access.group, deployment: deps.groups.get(access.group)?.[0], body });

    let routed;
    try {
      routed = await router.route(
        access.group,
        (deployment) =>
          callUpstream(deployment, {
            endpoint: input.endpoint,
            body: upstreamBody,
            stream,
            dropParams: deployment.params.drop_params ?? deps.dropParams,
            timeoutMs: router.timeoutFor(deployment, stream),
            signal: input.request.signal,
          }),
        { clientFallbacks, signal: input.request.signal },
      );
    } catch (err) {
      const aborted = input.request.signal.aborted;
      const error = aborted ? new ApiError("bad_request", "Client disconnected.") : toClientError(err);
      admitted.release(null);
      await settle.failure(null, error.message, aborted ? CLIENT_CLOSED : error.status, 0);
      throw error;
    }

    const upstream = routed.result;
    const headers: Record<string, string> = {
      "x-litellm-call-id": callId,
      "x-litellm-model-id": upstream.deployment.id,
      "x-litellm-model-group": routed.modelGroup,
      "x-litellm-attempted-retries": String(routed.attemptedRetries),
      "x-litellm-attempted-fallbacks": String(routed.attemptedFallbacks),
      "x-litellm-response-duration-ms": (performance.now() - started).toFixed(1),
      "x-litellm-version": VERSION,
      ...admitted.headers,
    };

    if (!stream) {
      let text: string;
      try {
        text = await upstream.response.text();
      } catch (err) {
        // The upstream (or the client) went away mid-body: give everything back and say so.
        const aborted = input.request.signal.aborted;
        const message = aborted ? "Client disconnected." : `litellm.APIConnectionError: the upstream answer was cut off: ${err instanceof Error ? err.message : String(err)}`;
        admitted.release(null);
        await settle.failure(upstream, message, aborted ? CLIENT_CLOSED : 502, routed.attemptedRetries);
        throw new ApiError("upstream", message, { status: 502, type: "api_connection_error" });
      }
      const { body: out, usage } = upstream.adapter.parseResponse(input.endpoint, text, upstream.deployment);
      const final = usage ?? (await estimateUsage(upstreamBody, contentOf(out)));
      router.recordTokens(upstream.deployment.id, final.total_tokens);
      admitted.release(final);
      const journaled = settle.success(upstream, routed.attemptedRetries, final, usage === null, responseId(out), null, deps.storePrompts ? parsedOrText(out) : undefined);
      admitted.settled();
      await journaled;
      return new Response(out, { status: 200, headers: { "content-type": "application/json", ...headers } });
    }

    let usage: Usage | null = null;
    let streamError: UpstreamError | null = null;
    let firstByteAt: Date | null = null;
    const texts: string[] = [];
    const transformer = upstream.adapter.streamTransformer(
      input.endpoint,
      upstream.deployment,
      {
        usage: (u) => (usage = u),
        text: (fragment) => texts.push(fragment),
        error: (e) => (streamError = e),
      },
      includeUsage,
    );
    const finish = (end: StreamEnd, reported: Usage | null, final: Usage) => {
      router.recordTokens(upstream.deployment.id, final.total_tokens);
      admitted.release(final);
      const failure = end.outcome === "client_aborted" ? "Client disconnected mid-stream." : end.outcome === "upstream_error" ? end.message : (streamError as UpstreamError | null)?.message;
      const journaled = failure
        ? settle.failure(upstream, failure, end.outcome === "client_aborted" ? CLIENT_CLOSED : 502, routed.attemptedRetries, final, reported === null, firstByteAt)
        : settle.success(upstream, routed.attemptedRetries, final, reported === null, null, firstByteAt);
      admitted.settled();
      return journaled;
    };
    // The relay holds the stream's end until the call is settled and journaled; counting
    // tokens locally (an upstream that reported no usage) takes a moment longer.
    const onEnd = async (end: StreamEnd): Promise<void> => {
      const reported = usage as Usage | null;
      await finish(end, reported, reported ?? (await estimateUsage(upstreamBody, texts.join(""))));
    };
    // The deployment stays busy (for least-busy routing and parallel limits) until the stream ends.
    const release = router.health.hold(upstream.deployment.id);
    const relayed = relayStream({
      upstream: upstream.response.body ?? new ReadableStream(),
      transformer,
      abortUpstream: upstream.abort,
      onFirstByte: () => (firstByteAt = new Date()),
      onEnd: async (end) => {
        release();
        await onEnd(end).catch((err) => deps.log.error("settling a stream failed", { error: String(err) }));
      },
    });
    return new Response(relayed, { status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers } });
  };
}

function requireObject(body: unknown): OpenAIBody {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("The request body must be a JSON object.");
  return body as OpenAIBody;
}

/** Client-side `fallbacks` are tried only where the key may go (API.md §3.2 step 13). */
function allowedFallbacks(raw: unknown, ctx: Parameters<typeof checkModelAccess>[1]): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter((m): m is string => typeof m === "string").map((model) => {
    const access = checkModelAccess(model, ctx);
    if (!access.ok) throw access.error;
    return access.group;
  });
}

function parsedOrText(body: string): Json {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return body;
  }
}

/** The provider's response id, read without parsing the whole body. */
function responseId(body: string): string | null {
  return /"id"\s*:\s*"([^"]{1,200})"/.exec(body.slice(0, 512))?.[1] ?? null;
}

function contentOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { choices?: { message?: { content?: unknown }; text?: unknown }[] };
    return (parsed.choices ?? []).map((c) => (typeof c.message?.content === "string" ? c.message.content : typeof c.text === "string" ? c.text : "")).join("");
  } catch {
    return "";
  }
}

async function estimateUsage(body: OpenAIBody, completionText: string): Promise<Usage> {
  const usage = emptyUsage();
  usage.prompt_tokens = await countPromptTokens(body);
  usage.completion_tokens = await countTextTokens(completionText);
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}
