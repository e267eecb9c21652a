/**
 * The router: call a model group's deployments with retries, cooldowns and fallbacks.
 * HTTP-free: the caller's `attempt` makes the provider call and throws `UpstreamFailure`.
 *
 * Order of events for one request: the group's retries (`num_retries`, on retryable
 * failures only, a fresh pick each time, exponential backoff in between); then, if the
 * group failed retryably or had nothing to call, the fallback groups in order, each with
 * its own retries, at most `max_fallbacks` of them. A context-window or content-policy
 * failure goes straight to its own fallback list. If everything fails, the primary
 * group's error is thrown (as LiteLLM does).
 */
import type { LitellmSettings, RouterSettings } from "../../config/index.ts";
import type { Deployment } from "../types.ts";
import { NoDeploymentAvailable, UpstreamFailure } from "./errors.ts";
import { HealthTracker } from "./health.ts";
import { selectDeployment } from "./select.ts";

/** LiteLLM's Router default when neither settings section sets `num_retries` (`openai.DEFAULT_MAX_RETRIES`). */
export const DEFAULT_NUM_RETRIES = 2;
/** LiteLLM's `ROUTER_MAX_FALLBACKS`. */
export const DEFAULT_MAX_FALLBACKS = 5;
/** LiteLLM's `litellm.request_timeout`, in seconds. */
export const DEFAULT_TIMEOUT_S = 6000;
export const BACKOFF_BASE_MS = 100;
/** Cap on every wait between retries, a provider's `retry-after` included. */
export const BACKOFF_MAX_MS = 5000;

export interface RouterOptions {
  /** Model group name → its deployments, in config order. */
  groups: ReadonlyMap<string, readonly Deployment[]>;
  routerSettings?: RouterSettings;
  litellmSettings?: LitellmSettings;
  /** Uniform in [0, 1); default `Math.random`. */
  random?: () => number;
  /** Epoch ms; default `Date.now`. Ignored when `health` is given (its clock is used). */
  now?: () => number;
  /** Wait between retries; must reject when `signal` aborts. Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  warn?: (message: string) => void;
  /** Shared health state; default: a new tracker from `router_settings`. */
  health?: HealthTracker;
}

export interface RouteOptions {
  /** Groups from the request body's `fallbacks`, tried before the configured ones. Access is the caller's check. */
  clientFallbacks?: readonly string[];
  /** Aborting stops the request: no further attempt, retry or fallback. */
  signal?: AbortSignal;
  /**
   * Pre-call check: true when the prompt does not fit this deployment's context window.
   * Such deployments are skipped; a group left with none fails as `context_window`.
   */
  contextWindowExceeded?: (deployment: Deployment) => boolean;
}

export interface AttemptInfo {
  /** 1 for the first call of the request, counting on across retries and fallbacks. */
  attemptNumber: number;
  /** The group being tried (a fallback group after the primary failed). */
  modelGroup: string;
}

export interface RouteResult<T> {
  result: T;
  deployment: Deployment;
  /** Calls made beyond the first, across all groups tried. */
  attemptedRetries: number;
  /** Fallback groups tried (0 when the primary group answered). */
  attemptedFallbacks: number;
  /** The group that answered. */
  modelGroup: string;
}

export type Attempt<T> = (deployment: Deployment, info: AttemptInfo) => Promise<T>;

export interface Router {
  route<T>(group: string, attempt: Attempt<T>, opts?: RouteOptions): Promise<RouteResult<T>>;
  /** Tokens a deployment used, reported by the caller once the response (or stream) ends. */
  recordTokens(deploymentId: string, tokens: number): void;
  /** Milliseconds the caller should allow one call to this deployment. */
  timeoutFor(deployment: Deployment, stream: boolean): number;
  readonly health: HealthTracker;
  readonly numRetries: number;
}

/** Wait before retry number `retry` (1-based) of a group: 0.1 s doubling, or the upstream's `retry-after`; capped at 5 s. */
export const backoffDelayMs = (retry: number, failure: UpstreamFailure | null): number => {
  if (failure?.retryAfterSeconds != null) return Math.min(BACKOFF_MAX_MS, Math.max(0, failure.retryAfterSeconds * 1000));
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1));
};

const abortError = (signal: AbortSignal): unknown => signal.reason ?? new DOMException("The operation was aborted.", "AbortError");

const throwIfAborted = (signal: AbortSignal | undefined): void => {
  if (signal?.aborted) throw abortError(signal);
};

const timerSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal === undefined ? new Error("aborted") : abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

type FallbackList = readonly Readonly<Record<string, readonly string[]>>[] | undefined;

const entryFor = (list: FallbackList, group: string): readonly string[] | undefined => {
  for (const entry of list ?? []) {
    const groups = entry[group];
    if (groups !== undefined) return groups;
  }
  return undefined;
};

type GroupOutcome<T> =
  | { ok: true; result: T; deployment: Deployment }
  | { ok: false; error: UpstreamFailure | NoDeploymentAvailable };

export const createRouter = (options: RouterOptions): Router => {
  const rs = options.routerSettings ?? {};
  const ls = options.litellmSettings ?? {};
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? timerSleep;
  const health =
    options.health ??
    new HealthTracker({
      allowedFails: rs.allowed_fails,
      cooldownTimeS: rs.cooldown_time,
      disableCooldowns: rs.disable_cooldowns,
      now: options.now,
    });
  const numRetries = rs.num_retries ?? ls.num_retries ?? DEFAULT_NUM_RETRIES;
  const maxFallbacks = rs.max_fallbacks ?? DEFAULT_MAX_FALLBACKS;
  const warned = new Set<string>();
  const warnOnce = (message: string): void => {
    if (warned.has(message)) return;
    warned.add(message);
    (options.warn ?? console.warn)(message);
  };

  /** Fallback groups for a primary failure, in the order they are tried. */
  const fallbackGroups = (group: string, error: UpstreamFailure | NoDeploymentAvailable, opts: RouteOptions): string[] => {
    let groups: readonly string[];
    if (error instanceof UpstreamFailure && error.kind === "context_window") {
      groups = entryFor(rs.context_window_fallbacks, group) ?? entryFor(ls.context_window_fallbacks, group) ?? [];
    } else if (error instanceof UpstreamFailure && error.kind === "content_policy") {
      groups = entryFor(rs.content_policy_fallbacks, group) ?? entryFor(ls.content_policy_fallbacks, group) ?? [];
    } else if (error instanceof NoDeploymentAvailable || error.retryable) {
      const configured =
        entryFor(rs.fallbacks, group) ??
        entryFor(ls.fallbacks, group) ??
        entryFor(rs.fallbacks, "*") ??
        entryFor(ls.fallbacks, "*") ??
        rs.default_fallbacks ??
        ls.default_fallbacks ??
        [];
      groups = [...(opts.clientFallbacks ?? []), ...configured];
    } else {
      groups = [];
    }
    return [...new Set(groups)].filter((g) => g !== group).slice(0, maxFallbacks);
  };

  const route = async <T>(primary: string, attempt: Attempt<T>, opts: RouteOptions = {}): Promise<RouteResult<T>> => {
    const { signal } = opts;
    let attempts = 0;

    const runGroup = async (group: string): Promise<GroupOutcome<T>> => {
      const all = options.groups.get(group) ?? [];
      const deployments = opts.contextWindowExceeded ? all.filter((d) => !opts.contextWindowExceeded?.(d)) : all;
      if (all.length > 0 && deployments.length === 0) {
        const message = `Context window exceeded by the request for every deployment of model group ${group}`;
        return { ok: false, error: new UpstreamFailure({ status: 400, kind: "context_window", message }) };
      }
      const tried = new Set<string>();
      let lastFailure: UpstreamFailure | null = null;
      for (let retry = 0; retry <= numRetries; retry++) {
        throwIfAborted(signal);
        if (retry > 0) {
          await sleep(backoffDelayMs(retry, lastFailure), signal);
          throwIfAborted(signal);
        }
        const selection = selectDeployment(deployments, {
          health,
          random,
          strategy: rs.routing_strategy,
          strategyArgs: rs.routing_strategy_args,
          avoid: tried,
          defaultMaxParallelRequests: rs.default_max_parallel_requests,
          warn: warnOnce,
        });
        const deployment = selection.deployment;
        if (deployment === null) {
          const { cooldownRemainingMs, cooldownList } = selection;
          return { ok: false, error: lastFailure ?? new NoDeploymentAvailable({ modelGroup: group, cooldownRemainingMs, cooldownList }) };
        }
        tried.add(deployment.id);
        attempts += 1;
        health.begin(deployment.id);
        const startedAt = health.now();
        try {
          const result = await attempt(deployment, { attemptNumber: attempts, modelGroup: group });
          health.recordSuccess(deployment.id, health.now() - startedAt);
          return { ok: true, result, deployment };
        } catch (error) {
          if (signal?.aborted || !(error instanceof UpstreamFailure)) throw error;
          health.recordFailure(deployment.id, error, { groupSize: all.length, durationMs: health.now() - startedAt });
          lastFailure = error;
          if (!error.retryable) return { ok: false, error };
        } finally {
          health.end(deployment.id);
        }
      }
      return { ok: false, error: lastFailure ?? new NoDeploymentAvailable({ modelGroup: group, cooldownRemainingMs: null }) };
    };

    const done = (outcome: { result: T; deployment: Deployment }, group: string, fallbacks: number): RouteResult<T> => ({
      result: outcome.result,
      deployment: outcome.deployment,
      attemptedRetries: Math.max(0, attempts - 1),
      attemptedFallbacks: fallbacks,
      modelGroup: group,
    });

    const first = await runGroup(primary);
    if (first.ok) return done(first, primary, 0);
    let tried = 0;
    for (const group of fallbackGroups(primary, first.error, opts)) {
      throwIfAborted(signal);
      tried += 1;
      const outcome = await runGroup(group);
      if (outcome.ok) return done(outcome, group, tried);
    }
    throw first.error;
  };

  const timeoutFor = (deployment: Deployment, stream: boolean): number => {
    const p = deployment.params;
    const seconds = stream
      ? (p.stream_timeout ?? p.timeout ?? rs.stream_timeout ?? rs.timeout ?? ls.request_timeout ?? DEFAULT_TIMEOUT_S)
      : (p.timeout ?? rs.timeout ?? ls.request_timeout ?? DEFAULT_TIMEOUT_S);
    return seconds * 1000;
  };

  return {
    route,
    recordTokens: (deploymentId, tokens) => health.recordTokens(deploymentId, tokens),
    timeoutFor,
    health,
    numRetries,
  };
};
