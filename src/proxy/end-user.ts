/**
 * The end user ("customer") a call is made for (API.md §3.6), first match wins:
 * the x-litellm-customer-id / x-litellm-end-user-id headers, the header named by
 * `user_header_name`, the OpenAI body `user`, Anthropic-style `litellm_metadata.user`,
 * `metadata.user_id`, then `safety_identifier`.
 */
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 255) : null);

const field = (obj: unknown, key: string): unknown => (typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>)[key] : undefined);

export function endUserOf(headers: Headers, body: Record<string, unknown>, userHeaderName: string | null): string | null {
  return (
    text(headers.get("x-litellm-customer-id")) ??
    text(headers.get("x-litellm-end-user-id")) ??
    (userHeaderName ? text(headers.get(userHeaderName)) : null) ??
    text(body.user) ??
    text(field(body.litellm_metadata, "user")) ??
    text(field(body.metadata, "user_id")) ??
    text(body.safety_identifier)
  );
}
