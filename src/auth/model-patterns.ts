/**
 * Wildcard model names (`openai/*`, `bedrock/us.*`, `*`) and the provider inference that
 * lets a bare name such as `gpt-4o` match `openai/*`, as LiteLLM's pattern router does.
 */

/** Bare-name prefixes whose provider is known; first match wins. */
const KNOWN_PROVIDERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:gpt-|chatgpt-|text-embedding-|text-davinci-|text-moderation-|omni-moderation-|dall-e|whisper|tts-|ft:gpt-)/, "openai"],
  [/^o[134](?:-|$)/, "openai"],
  [/^(?:davinci|babbage)(?:-|$)/, "openai"],
  [/^claude(?:-|$)/, "anthropic"],
  [/^(?:mistral-|open-mistral|mixtral|open-mixtral|codestral|ministral|pixtral|magistral)/, "mistral"],
  [/^command(?:-|$)/, "cohere"],
  [/^gemini-/, "gemini"],
];

/**
 * The provider of a bare model name (no `/`), or null when unknown or already prefixed.
 * `gemini-*` is inferred as `gemini` (LiteLLM's own table says `vertex_ai`).
 */
export function inferProvider(name: string): string | null {
  if (name.includes("/")) return null;
  for (const [pattern, provider] of KNOWN_PROVIDERS) if (pattern.test(name)) return provider;
  return null;
}

export const isWildcard = (name: string): boolean => name.includes("*");

/** LiteLLM's rule: escape everything, `*` becomes `.*`, and the whole name must match. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "s");
}

/** Whether `name` matches the glob, either as written or as `<inferred provider>/<name>`. */
export function matchesGlob(regex: RegExp, name: string): boolean {
  if (regex.test(name)) return true;
  const provider = inferProvider(name);
  return provider !== null && regex.test(`${provider}/${name}`);
}

/**
 * Orders patterns most specific first: more literal characters, then fewer `*`.
 * `Array.prototype.sort` is stable, so ties keep config order.
 */
export function bySpecificity(a: string, b: string): number {
  const stars = (p: string) => p.split("*").length - 1;
  const literal = (p: string) => p.length - stars(p);
  return literal(b) - literal(a) || stars(a) - stars(b);
}
