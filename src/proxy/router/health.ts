/**
 * Per-deployment health, kept in this process's memory: in-flight calls, requests, tokens
 * and failures in the current minute, a moving average of latency, and cooldowns.
 *
 * Minutes are fixed 60-s windows aligned to the clock (`floor(now / 60 000)`), as
 * LiteLLM's per-minute counters are; a counter read in a later window is zero.
 * TODO(multi-instance router state): share counters and cooldowns through Redis.
 */
import type { UpstreamFailure } from "./errors.ts";

/** LiteLLM's `DEFAULT_ALLOWED_FAILS`. */
export const DEFAULT_ALLOWED_FAILS = 3;
/** LiteLLM's `DEFAULT_COOLDOWN_TIME_SECONDS`. */
export const DEFAULT_COOLDOWN_TIME_S = 5;
/** Weight of the newest sample in the latency moving average. */
export const DEFAULT_LATENCY_ALPHA = 0.3;
export const WINDOW_MS = 60_000;

export interface HealthOptions {
  /** Failures tolerated per minute; the next one cools the deployment down (LiteLLM: `fails > allowed_fails`). */
  allowedFails?: number;
  /** Seconds a cooled-down deployment is skipped. */
  cooldownTimeS?: number;
  disableCooldowns?: boolean;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  latencyAlpha?: number;
}

/** What the router knows about one deployment right now. */
export interface DeploymentHealth {
  readonly inFlight: number;
  /** Calls started in the current minute. */
  readonly requests: number;
  /** Tokens reported via `recordTokens` in the current minute. */
  readonly tokens: number;
  /** Failures counted toward `allowed_fails` in the current minute (reset by a cooldown). */
  readonly failures: number;
  /** Moving average of call durations in ms; null until a call has finished. */
  readonly latencyMs: number | null;
  /** Milliseconds of cooldown left; 0 when not cooling down. */
  readonly cooldownRemainingMs: number;
}

export interface FailureContext {
  /** Deployments in the failing deployment's model group (immediate cooldowns need > 1). */
  groupSize: number;
  /** How long the failed call ran; a timeout's duration feeds the latency average. */
  durationMs?: number;
}

interface State {
  inFlight: number;
  window: number;
  requests: number;
  tokens: number;
  failures: number;
  latencyMs: number | null;
  cooldownUntil: number;
}

/** Failures that say something about the deployment rather than the request. */
const countsAgainstDeployment = (failure: UpstreamFailure): boolean => {
  if (failure.kind === "timeout" || failure.kind === "connect") return true;
  if (failure.kind !== "http" || failure.status === null) return false;
  const status = failure.status;
  return status === 401 || status === 404 || status === 408 || status === 429 || status >= 500;
};

/** LiteLLM cools a deployment down at once on these when its group has another deployment. */
const coolsImmediately = (failure: UpstreamFailure): boolean => failure.status === 429 || failure.status === 401;

export class HealthTracker {
  readonly allowedFails: number;
  readonly cooldownTimeS: number;
  readonly disableCooldowns: boolean;
  readonly now: () => number;
  private readonly alpha: number;
  private readonly states = new Map<string, State>();

  constructor(options: HealthOptions = {}) {
    this.allowedFails = options.allowedFails ?? DEFAULT_ALLOWED_FAILS;
    this.cooldownTimeS = options.cooldownTimeS ?? DEFAULT_COOLDOWN_TIME_S;
    this.disableCooldowns = options.disableCooldowns ?? false;
    this.now = options.now ?? Date.now;
    this.alpha = options.latencyAlpha ?? DEFAULT_LATENCY_ALPHA;
  }

  get(id: string): DeploymentHealth {
    const state = this.current(id);
    return {
      inFlight: state.inFlight,
      requests: state.requests,
      tokens: state.tokens,
      failures: state.failures,
      latencyMs: state.latencyMs,
      cooldownRemainingMs: Math.max(0, state.cooldownUntil - this.now()),
    };
  }

  cooldownRemainingMs(id: string): number {
    const state = this.states.get(id);
    return state === undefined ? 0 : Math.max(0, state.cooldownUntil - this.now());
  }

  /** A call is about to be sent: one more in flight, one more request this minute. */
  begin(id: string): void {
    const state = this.current(id);
    state.inFlight += 1;
    state.requests += 1;
  }

  /** The call finished, whatever its outcome. Pairs with `begin`. */
  end(id: string): void {
    const state = this.current(id);
    state.inFlight = Math.max(0, state.inFlight - 1);
  }

  /**
   * Keeps a call counted as in flight after its attempt returned: a stream is busy
   * until its last byte, not just until its headers. Returns the release.
   */
  hold(id: string): () => void {
    this.current(id).inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.end(id);
    };
  }

  recordSuccess(id: string, durationMs: number): void {
    this.sampleLatency(this.current(id), durationMs);
  }

  recordTokens(id: string, tokens: number): void {
    if (!Number.isFinite(tokens) || tokens <= 0) return;
    this.current(id).tokens += tokens;
  }

  /**
   * Count a failure and cool the deployment down when due. Request-side failures (400,
   * context window, content policy) do not count. Returns true when a cooldown started.
   */
  recordFailure(id: string, failure: UpstreamFailure, context: FailureContext): boolean {
    const state = this.current(id);
    if (failure.kind === "timeout" && context.durationMs !== undefined) this.sampleLatency(state, context.durationMs);
    if (!countsAgainstDeployment(failure)) return false;
    state.failures += 1;
    if (this.disableCooldowns) return false;
    const immediate = coolsImmediately(failure) && context.groupSize > 1;
    if (!immediate && state.failures <= this.allowedFails) return false;
    this.cooldown(id);
    return true;
  }

  /** Skip the deployment for `seconds` (default `cooldown_time`); its failure count restarts. */
  cooldown(id: string, seconds: number = this.cooldownTimeS): void {
    const state = this.current(id);
    state.cooldownUntil = this.now() + seconds * 1000;
    state.failures = 0;
  }

  private sampleLatency(state: State, durationMs: number): void {
    const sample = Math.max(0, durationMs);
    state.latencyMs = state.latencyMs === null ? sample : this.alpha * sample + (1 - this.alpha) * state.latencyMs;
  }

  /** The deployment's state with per-minute counters rolled over to the current window. */
  private current(id: string): State {
    const window = Math.floor(this.now() / WINDOW_MS);
    let state = this.states.get(id);
    if (state === undefined) {
      state = { inFlight: 0, window, requests: 0, tokens: 0, failures: 0, latencyMs: null, cooldownUntil: 0 };
      this.states.set(id, state);
    } else if (state.window !== window) {
      state.window = window;
      state.requests = 0;
      state.tokens = 0;
      state.failures = 0;
    }
    return state;
  }
}
