/** Reading token usage out of OpenAI-shaped bodies. */
import { emptyUsage, type Usage } from "./types.ts";

const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** OpenAI's `usage` object (chat, completions, embeddings) in tollgate's terms. */
export function usageFromOpenAI(raw: unknown): Usage | null {
  if (typeof raw !== "object" || raw === null) return null;
  const u = raw as Record<string, unknown>;
  const promptDetails = (u.prompt_tokens_details ?? {}) as Record<string, unknown>;
  const completionDetails = (u.completion_tokens_details ?? {}) as Record<string, unknown>;
  const usage = emptyUsage();
  usage.prompt_tokens = num(u.prompt_tokens);
  usage.completion_tokens = num(u.completion_tokens);
  usage.total_tokens = num(u.total_tokens) || usage.prompt_tokens + usage.completion_tokens;
  usage.cached_tokens = num(promptDetails.cached_tokens);
  usage.reasoning_tokens = num(completionDetails.reasoning_tokens);
  return usage;
}

/**
 * The `usage` of a JSON response body. Usage sits at the end of OpenAI responses, so
 * the common case parses only that object instead of the whole (possibly large) body.
 */
export function usageFromBody(raw: string): Usage | null {
  const body = raw.trimEnd();
  const at = body.lastIndexOf('"usage"');
  if (at !== -1) {
    const start = body.indexOf("{", at);
    const end = body.lastIndexOf("}", body.length - 2);
    if (start !== -1 && end > start) {
      try {
        return usageFromOpenAI(JSON.parse(body.slice(start, end + 1)));
      } catch {
        // Not the last field after all: fall through to a full parse.
      }
    }
  }
  try {
    return usageFromOpenAI((JSON.parse(body) as Record<string, unknown>).usage);
  } catch {
    return null;
  }
}
