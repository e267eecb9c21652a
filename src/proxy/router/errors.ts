/**
 * Errors the router speaks: `UpstreamFailure` is what an attempt throws when the provider
 * call fails; `NoDeploymentAvailable` is what the router throws when a model group has
 * nothing it may call (LiteLLM's `RouterRateLimitError`, a 429).
 */

/** Why an upstream call failed; decides retries, cooldowns and which fallbacks apply. */
export type UpstreamFailureKind = "timeout" | "connect" | "http" | "context_window" | "content_policy";

export interface UpstreamFailureInit {
  /** Upstream HTTP status; `null` when no response arrived (connection error, timeout). */
  status: number | null;
  message: string;
  /** Defaults to `connect` when `status` is null, else `http`. */
  kind?: UpstreamFailureKind;
  /** Defaults to {@link isRetryableFailure} of the status and kind. */
  retryable?: boolean;
  /** The upstream error body, parsed or raw, for the caller to relay. */
  body?: unknown;
  /** The upstream's `retry-after`, in seconds (see {@link parseRetryAfter}). */
  retryAfterSeconds?: number | null;
}

/** Retryable statuses: 408, 429 and every 5xx; a missing status (no response) too. */
export const isRetryableStatus = (status: number | null): boolean =>
  status === null || status === 408 || status === 429 || status >= 500;

/** Context-window and content-policy failures are never retried (the same prompt fails again). */
export const isRetryableFailure = (status: number | null, kind: UpstreamFailureKind): boolean => {
  if (kind === "context_window" || kind === "content_policy") return false;
  if (kind === "timeout" || kind === "connect") return true;
  return isRetryableStatus(status);
};

/** A failed provider call, thrown by the `attempt` callback given to `Router.route`. */
export class UpstreamFailure extends Error {
  readonly status: number | null;
  readonly kind: UpstreamFailureKind;
  readonly retryable: boolean;
  readonly body: unknown;
  readonly retryAfterSeconds: number | null;

  constructor(init: UpstreamFailureInit) {
    super(init.message);
    this.name = "UpstreamFailure";
    this.status = init.status;
    this.kind = init.kind ?? (init.status === null ? "connect" : "http");
    this.retryable = init.retryable ?? isRetryableFailure(init.status, this.kind);
    this.body = init.body;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

/**
 * A `retry-after` header value in seconds: either delta-seconds (`"2"`, `"0.5"`) or an
 * HTTP date. Null when absent, unparsable or negative.
 */
export const parseRetryAfter = (value: string | null | undefined, nowMs: number = Date.now()): number | null => {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === "") return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, (at - nowMs) / 1000);
};

export interface NoDeploymentAvailableInit {
  modelGroup: string;
  /** Milliseconds until the first cooling-down deployment of the group is usable again. */
  cooldownRemainingMs: number | null;
  /** Ids of the group's deployments currently cooling down. */
  cooldownList?: readonly string[];
}

/**
 * No deployment of the group may be called now: the group is unknown, or every deployment
 * is cooling down or at its rpm / tpm / parallel limit. The message follows LiteLLM's
 * (`No deployments available for selected model, Try again in N seconds. Passed model=…`),
 * which clients match on; the HTTP status is 429.
 */
export class NoDeploymentAvailable extends Error {
  readonly status = 429;
  readonly modelGroup: string;
  readonly cooldownRemainingMs: number | null;
  readonly cooldownList: readonly string[];

  constructor(init: NoDeploymentAvailableInit) {
    const list = init.cooldownList ?? [];
    const retryIn =
      init.cooldownRemainingMs === null ? "" : `, Try again in ${Math.max(1, Math.ceil(init.cooldownRemainingMs / 1000))} seconds`;
    const cooling = list.length === 0 ? "" : ` cooldown_list=[${list.map((id) => `'${id}'`).join(", ")}]`;
    super(`No deployments available for selected model${retryIn}. Passed model=${init.modelGroup}.${cooling}`);
    this.name = "NoDeploymentAvailable";
    this.modelGroup = init.modelGroup;
    this.cooldownRemainingMs = init.cooldownRemainingMs;
    this.cooldownList = list;
  }
}
