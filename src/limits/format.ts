/**
 * What a client sees of the limiter, in LiteLLM v3's words: the 429 message and the
 * response headers.
 */
import type { Admission, Denied } from "./types.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** LiteLLM's `reset_at` format, `YYYY-MM-DD HH:MM:SS UTC` (here really in UTC). */
export function formatResetAt(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`
  );
}

/** `Rate limit exceeded for api_key: <hash>. Limit type: requests. Current limit: 2, Remaining: 0. Limit resets at: …` */
export function deniedMessage(denied: Denied): string {
  return (
    `Rate limit exceeded for ${denied.descriptor}: ${denied.value}. ` +
    `Limit type: ${denied.limitType}. ` +
    `Current limit: ${denied.limit}, Remaining: ${denied.remaining}. ` +
    `Limit resets at: ${formatResetAt(denied.resetAt)}`
  );
}

/**
 * Admitted: `x-ratelimit-<descriptor>-remaining-<type>` and `x-ratelimit-<descriptor>-limit-<type>`
 * for every limited counter (type = requests | tokens | max_parallel_requests).
 * Denied: `retry-after`, `rate_limit_type`, `reset_at`, plus the two x-ratelimit headers
 * of the limit that refused (remaining 0).
 */
export function rateLimitHeaders(admission: Admission): Record<string, string> {
  const headers: Record<string, string> = {};
  if (admission.allowed) {
    for (const s of admission.statuses) {
      headers[`x-ratelimit-${s.descriptor}-remaining-${s.limitType}`] = String(s.remaining);
      headers[`x-ratelimit-${s.descriptor}-limit-${s.limitType}`] = String(s.limit);
    }
    return headers;
  }
  headers[`x-ratelimit-${admission.descriptor}-remaining-${admission.limitType}`] = "0";
  headers[`x-ratelimit-${admission.descriptor}-limit-${admission.limitType}`] = String(admission.limit);
  headers["retry-after"] = String(admission.retryAfterSeconds);
  headers.rate_limit_type = admission.limitType;
  headers.reset_at = formatResetAt(admission.resetAt);
  return headers;
}
