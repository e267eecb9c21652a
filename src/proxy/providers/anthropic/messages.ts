/**
 * OpenAI chat `messages` → Anthropic's top-level `system` and its `messages`.
 *
 * Invariants Anthropic enforces and this translation keeps: system text lives outside
 * `messages`; turns alternate user/assistant (consecutive same-role turns are merged,
 * so a run of `tool` results becomes one user turn); text blocks are never empty.
 */
import { isRecord, type AnthropicBlock, type AnthropicMessage, type AnthropicSystem, type JsonObject } from "./wire.ts";

export interface TranslatedMessages {
  system: AnthropicSystem | undefined;
  messages: AnthropicMessage[];
}

export function translateMessages(raw: unknown): TranslatedMessages {
  const system: AnthropicBlock[] = [];
  const turns: { role: "user" | "assistant"; content: AnthropicBlock[] }[] = [];
  const push = (role: "user" | "assistant", blocks: AnthropicBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };

  for (const message of Array.isArray(raw) ? raw : []) {
    if (!isRecord(message)) continue;
    const cache = message.cache_control;
    if (message.role === "system" || message.role === "developer") system.push(...withCacheControl(textOnly(message.content), cache));
    else if (message.role === "assistant") push("assistant", withCacheControl(assistantBlocks(message), cache));
    else if (message.role === "tool") push("user", withCacheControl([toolResult(message)], cache));
    else push("user", withCacheControl(contentBlocks(message.content), cache));
  }

  return {
    system: systemOf(system),
    messages: turns.map(({ role, content }) => ({ role, content: collapse(content) })),
  };
}

function systemOf(blocks: AnthropicBlock[]): AnthropicSystem | undefined {
  if (blocks.length === 0) return undefined;
  const only = blocks.length === 1 ? blocks[0] : undefined;
  return only && only.cache_control === undefined && typeof only.text === "string" ? only.text : blocks;
}

/** A turn of one plain text block is sent as a string, as clients usually write it. */
function collapse(blocks: AnthropicBlock[]): string | AnthropicBlock[] {
  const only = blocks.length === 1 ? blocks[0] : undefined;
  if (only && only.type === "text" && Object.keys(only).length === 2 && typeof only.text === "string") return only.text;
  return blocks;
}

/** Message-level `cache_control` (a LiteLLM convention) marks the message's last block. */
function withCacheControl(blocks: AnthropicBlock[], cacheControl: unknown): AnthropicBlock[] {
  const last = blocks.at(-1);
  if (cacheControl === undefined || cacheControl === null || !last) return blocks;
  return [...blocks.slice(0, -1), { ...last, cache_control: cacheControl }];
}

function textOnly(content: unknown): AnthropicBlock[] {
  return contentBlocks(content).filter((block) => block.type === "text");
}

/** A string or an array of OpenAI content parts as Anthropic blocks. */
function contentBlocks(content: unknown): AnthropicBlock[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  const blocks: AnthropicBlock[] = [];
  for (const part of content) {
    const block = isRecord(part) ? partBlock(part) : null;
    if (block) blocks.push(block);
  }
  return blocks;
}

function partBlock(part: JsonObject): AnthropicBlock | null {
  const cache = part.cache_control === undefined ? {} : { cache_control: part.cache_control };
  switch (part.type) {
    case "text":
      return typeof part.text === "string" && part.text !== "" ? { type: "text", text: part.text, ...cache } : null;
    case "image_url": {
      const image = part.image_url;
      const url = typeof image === "string" ? image : isRecord(image) && typeof image.url === "string" ? image.url : null;
      return url ? { ...mediaBlock(url), ...cache } : null;
    }
    case "file": {
      const data = isRecord(part.file) ? part.file.file_data : undefined;
      return typeof data === "string" ? { ...mediaBlock(data), ...cache } : null;
    }
    default:
      // Anthropic-native blocks (document, search_result, …) written by the client pass as they are.
      return typeof part.type === "string" ? (part as AnthropicBlock) : null;
  }
}

const DATA_URL = /^data:([^;,]+)[^,]*;base64,/;

/** `data:` URLs become base64 sources, anything else a URL source; PDFs are documents. */
function mediaBlock(url: string): AnthropicBlock {
  const match = DATA_URL.exec(url);
  if (match?.[1]) {
    const mediaType = match[1];
    const source = { type: "base64", media_type: mediaType, data: url.slice(match[0].length) };
    return { type: mediaType === "application/pdf" ? "document" : "image", source };
  }
  return { type: "image", source: { type: "url", url } };
}

function assistantBlocks(message: JsonObject): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  // LiteLLM's `thinking_blocks` must go back first and unchanged (signed) when tools are used with thinking.
  for (const block of Array.isArray(message.thinking_blocks) ? message.thinking_blocks : []) {
    if (isRecord(block) && (block.type === "thinking" || block.type === "redacted_thinking")) blocks.push(block as AnthropicBlock);
  }
  blocks.push(...contentBlocks(message.content));
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    blocks.push({ type: "tool_use", id: String(call.id ?? ""), name: String(call.function.name ?? ""), input: toolInput(call.function.arguments) });
  }
  return blocks;
}

/** Tool arguments arrive as a JSON string; Anthropic wants the object (`{}` when absent or not an object). */
function toolInput(args: unknown): JsonObject {
  if (isRecord(args)) return args;
  if (typeof args !== "string" || args.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function toolResult(message: JsonObject): AnthropicBlock {
  const content = typeof message.content === "string" ? message.content : contentBlocks(message.content);
  return { type: "tool_result", tool_use_id: String(message.tool_call_id ?? ""), content };
}
