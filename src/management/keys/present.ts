/** Response shapes of the /key/* routes, built from stored rows. */
import type { Json, JsonObject } from "../../db/json.ts";
import type { BudgetRow, KeyRow } from "../../db/rows.ts";
import { EXTRA_FIELDS, METADATA_FIELDS } from "./fields.ts";

export type KeyObject = Omit<KeyRow, "extra"> & {
  token_id: string;
  soft_budget: number | null;
  litellm_budget_table: BudgetRow | null;
  [field: string]: unknown;
};

/**
 * The stored key as LiteLLM echoes it: every column, plus the fields LiteLLM keeps in
 * metadata or extra tables surfaced at the top level, plus the linked budget row.
 */
export function presentKey(row: KeyRow, budget: BudgetRow | null): KeyObject {
  const { extra, ...columns } = row;
  const surfaced: Record<string, Json> = {};
  for (const field of METADATA_FIELDS) surfaced[field] = row.metadata[field] ?? null;
  for (const field of EXTRA_FIELDS) surfaced[field] = (extra as JsonObject)[field] ?? null;
  return {
    ...columns,
    ...surfaced,
    token_id: row.token,
    soft_budget: budget?.soft_budget ?? null,
    litellm_budget_table: budget,
  };
}

/** /key/info's `info`: the key object without its hash. */
export function presentKeyInfo(row: KeyRow, budget: BudgetRow | null): Omit<KeyObject, "token" | "token_id"> {
  const { token: _token, token_id: _tokenId, ...info } = presentKey(row, budget);
  return info;
}
