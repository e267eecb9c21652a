/**
 * Where a request carries its key (API.md Part 1 "Bearer handling"):
 * `litellm_key_header_name` when configured overrides everything; otherwise
 * `x-litellm-api-key`, then `Authorization: Bearer …` (scheme case-insensitive),
 * then `api-key` (Azure SDKs), then `x-api-key` (Anthropic SDKs).
 */
export type ExtractedKey = { ok: true; key: string } | { ok: false; reason: "missing" | "malformed" };

const BEARER = /^bearer(\s+|$)/i;

export function createKeyExtractor(customHeader: string | null): (headers: Headers) => ExtractedKey {
  const custom = customHeader?.toLowerCase() ?? null;
  return (headers) => {
    if (custom) return fromValue(headers.get(custom), true);
    const litellm = headers.get("x-litellm-api-key");
    if (litellm) return fromValue(litellm, true);
    const authorization = headers.get("authorization");
    if (authorization) {
      // A present Authorization header without the Bearer scheme is malformed, not missing.
      return BEARER.test(authorization) ? fromValue(authorization, true) : { ok: false, reason: "malformed" };
    }
    const raw = headers.get("api-key") ?? headers.get("x-api-key");
    return fromValue(raw, false);
  };
}

function fromValue(value: string | null, stripBearer: boolean): ExtractedKey {
  if (value === null) return { ok: false, reason: "missing" };
  const key = (stripBearer ? value.replace(BEARER, "") : value).trim();
  return key ? { ok: true, key } : { ok: false, reason: "missing" };
}
