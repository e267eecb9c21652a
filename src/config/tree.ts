/** Small helpers over the plain JSON-like tree a YAML file parses into. */

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Drops map entries whose value is null. In YAML a key with nothing after it is null,
 * and LiteLLM users rely on that meaning "not set": a section header whose settings are
 * all commented out, or `duration:` in `default_key_generate_params` ("blank means null").
 * Nulls inside lists are kept, so a stray `-` is still reported.
 */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (!isMapping(value)) return value;
  const kept = Object.entries(value).filter(([, child]) => child !== null);
  return Object.fromEntries(kept.map(([key, child]) => [key, stripNulls(child)]));
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A short, value-free description of what was found, safe to print next to a secret field. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (value instanceof Date) return "timestamp";
  if (typeof value === "object") return "mapping";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
