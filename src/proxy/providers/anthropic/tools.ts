/** OpenAI `tools` / `tool_choice` / `parallel_tool_calls` → Anthropic's `tools` and `tool_choice`. */
import { isRecord, type JsonObject } from "./wire.ts";

/** Function tools become `{name, description, input_schema}`; Anthropic-native tools pass as they are. */
export function translateTools(tools: unknown): JsonObject[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const out: JsonObject[] = [];
  for (const tool of tools) {
    if (!isRecord(tool)) continue;
    if (tool.type !== "function" || !isRecord(tool.function)) {
      out.push(tool);
      continue;
    }
    const fn = tool.function;
    out.push({
      name: fn.name,
      ...(typeof fn.description === "string" ? { description: fn.description } : {}),
      input_schema: isRecord(fn.parameters) ? fn.parameters : { type: "object", properties: {} },
      ...(tool.cache_control === undefined ? {} : { cache_control: tool.cache_control }),
    });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * "auto" → `{type:"auto"}`, "none" → `{type:"none"}`, "required" → `{type:"any"}`,
 * `{function:{name}}` → `{type:"tool", name}`; `parallel_tool_calls: false` adds
 * `disable_parallel_tool_use` (implying "auto" when no choice was given).
 */
export function translateToolChoice(choice: unknown, parallelToolCalls: unknown): JsonObject | undefined {
  let out: JsonObject | undefined;
  if (choice === "auto") out = { type: "auto" };
  else if (choice === "none") return { type: "none" };
  else if (choice === "required") out = { type: "any" };
  else if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === "string") out = { type: "tool", name: choice.function.name };
  else if (isRecord(choice) && typeof choice.type === "string" && ["auto", "any", "tool", "none"].includes(choice.type)) out = { ...choice };
  if (parallelToolCalls === false) out = { ...(out ?? { type: "auto" }), disable_parallel_tool_use: true };
  return out;
}
