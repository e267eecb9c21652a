/**
 * Local token counts for the rare upstream that streams without reporting usage,
 * so such calls are still billed. Uses OpenAI's o200k_base encoding (gpt-tokenizer,
 * the standard pure-JS BPE tokenizer); for other model families it is an estimate,
 * and the settled record says so. The encoding takes ~0.4 s to load, so it is loaded
 * on first use, never at start-up.
 */
type Counter = (text: string) => number;

let counter: Promise<Counter> | null = null;

function loadCounter(): Promise<Counter> {
  counter ??= import("gpt-tokenizer/encoding/o200k_base").then((m) => (text: string) => m.countTokens(text));
  return counter;
}

export async function countTextTokens(text: string): Promise<number> {
  if (text === "") return 0;
  return (await loadCounter())(text);
}

/** Prompt tokens of chat messages, with OpenAI's per-message framing (3 per message, 3 to prime the reply). */
export async function countPromptTokens(body: Record<string, unknown>): Promise<number> {
  const count = await loadCounter();
  if (Array.isArray(body.messages)) {
    let total = 3;
    for (const message of body.messages as { content?: unknown; name?: unknown }[]) {
      const content = typeof message.content === "string" ? message.content : JSON.stringify(message.content ?? "");
      total += 3 + count(content) + (typeof message.name === "string" ? 1 : 0);
    }
    return total;
  }
  const input = body.prompt ?? body.input ?? "";
  return (Array.isArray(input) ? input : [input]).reduce<number>((sum, item) => sum + count(String(item)), 0);
}
