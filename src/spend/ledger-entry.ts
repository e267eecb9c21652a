/**
 * One priced call in the ledger: how it is journaled and read back, which entities its
 * cost is added to, and the spend-log row it becomes. Shared by the ledger (on the
 * serving thread) and the flush (possibly in the flush worker).
 */
import type { NewSpendLogRow } from "../db/rows.ts";
import { memberKey, type SpendEntity, type SpendIncrements } from "../db/store/spend.ts";
import type { SettledCall } from "./settlement.ts";

/** A priced call. */
export interface LedgerEntry {
  call: SettledCall;
  cost: number;
}

type CallTimes = "start_time" | "end_time" | "completion_start_time";

/**
 * A priced call as journaled: its times as epoch milliseconds, because JSON.stringify
 * of an object holding Dates took 3 µs a call against 0.7 µs without (every call pays it).
 * Journals written before this carry ISO strings, which `revive` reads as well.
 */
export interface JournaledEntry {
  call: Omit<SettledCall, CallTimes> & { start_time: number | string; end_time: number | string; completion_start_time: number | string | null };
  cost: number;
}

/** How a key's spend on one model group is keyed (ledger, flush and model budgets agree on it). */
export const keyModelKey = (token: string, group: string) => `${token}\u0000${group}`;

export function addTo(map: Map<string, number>, id: string, amount: number): void {
  map.set(id, (map.get(id) ?? 0) + amount);
}

/** The entities a call's cost is added to (API.md §4.2). */
function forEachIncrement(entry: LedgerEntry, apply: (entity: SpendEntity, id: string, amount: number) => void): void {
  const { call, cost } = entry;
  if (cost === 0) return;
  if (call.api_key) apply("keys", call.api_key, cost);
  if (call.user_id) apply("users", call.user_id, cost);
  if (call.team_id) apply("teams", call.team_id, cost);
  if (call.team_id && call.user_id) apply("members", memberKey(call.team_id, call.user_id), cost);
  if (call.end_user) apply("customers", call.end_user, cost);
}

/** Adds a call's cost to its entities and to its key's spend on its model group. */
export function accumulate(entry: LedgerEntry, spend: SpendIncrements, keyModels: Map<string, number>): void {
  forEachIncrement(entry, (entity, id, amount) => addTo(spend[entity], id, amount));
  const { call, cost } = entry;
  if (cost !== 0 && call.api_key) addTo(keyModels, keyModelKey(call.api_key, call.model_group), cost);
}

export function journaled({ call, cost }: LedgerEntry): JournaledEntry {
  return {
    call: { ...call, start_time: call.start_time.getTime(), end_time: call.end_time.getTime(), completion_start_time: call.completion_start_time?.getTime() ?? null },
    cost,
  };
}

export function revive({ call, cost }: JournaledEntry): LedgerEntry {
  return {
    cost,
    call: {
      ...call,
      start_time: new Date(call.start_time),
      end_time: new Date(call.end_time),
      completion_start_time: call.completion_start_time === null ? null : new Date(call.completion_start_time),
    },
  };
}

/** The spend-log row of a call (API.md §4.3). `request_id` is the call id: unique and stable. */
export function spendLogRow({ call, cost }: LedgerEntry): NewSpendLogRow {
  return {
    request_id: call.call_id,
    call_type: call.call_type,
    api_key: call.api_key ?? "",
    spend: cost,
    total_tokens: call.prompt_tokens + call.completion_tokens,
    prompt_tokens: call.prompt_tokens,
    completion_tokens: call.completion_tokens,
    cached_tokens: call.cached_tokens,
    start_time: call.start_time,
    end_time: call.end_time,
    completion_start_time: call.completion_start_time,
    model: call.model ?? call.model_group,
    model_id: call.model_id,
    model_group: call.model_group,
    custom_llm_provider: call.provider,
    api_base: call.api_base,
    user: call.user_id,
    end_user: call.end_user,
    team_id: call.team_id,
    organization_id: null,
    status: call.status,
    metadata: {
      response_id: call.request_id,
      user_api_key_user_id: call.user_id,
      user_api_key_team_id: call.team_id,
      usage_object: {
        prompt_tokens: call.prompt_tokens,
        completion_tokens: call.completion_tokens,
        cached_tokens: call.cached_tokens,
        cache_creation_tokens: call.cache_creation_tokens,
        reasoning_tokens: call.reasoning_tokens,
        estimated: call.usage_estimated,
      },
      attempted_retries: call.attempted_retries,
      stream: call.stream,
      ...(call.error ? { error_information: { error_message: call.error, error_code: String(call.http_status) } } : {}),
      ...(call.metadata as Record<string, never>),
    },
    request_tags: Array.isArray(call.metadata.tags) ? (call.metadata.tags as string[]) : [],
    cache_hit: "False",
    messages: call.messages ?? null,
    response: call.response ?? null,
  };
}
