/**
 * May this key call this model, and which models may it call? (API.md §3.4 with Part 1.)
 *
 * A name is allowed by a `models` list when the list is empty, holds `*` or
 * `all-proxy-models`, or one of its entries — access groups expanded to their member
 * groups — equals the name or, for entries containing `*`, matches it as a glob (a bare
 * name is also tried as `<inferred provider>/<name>`). A name passes when any name of its
 * alias chain (see `resolveModel`) passes. The key's list and the team's list both apply;
 * `all-team-models` on the key skips the key's list; a key of the team's `model_aliases`
 * is allowed by the team.
 */
import type { KeyRow, TeamRow, UserRow } from "../db/rows.ts";
import { ApiError } from "../errors.ts";
import { resolveModel, type ModelCatalog } from "./model-catalog.ts";
import { globToRegExp, isWildcard, matchesGlob } from "./model-patterns.ts";

export { buildModelCatalog, resolveModel, type ModelCatalog, type Resolution } from "./model-catalog.ts";
export { inferProvider } from "./model-patterns.ts";

/** The parts of a key that scope its models (a KeyRow fits). */
export type KeyModelScope = Pick<KeyRow, "models" | "aliases">;
/** The parts of a team that scope its models (a TeamRow fits). */
export type TeamModelScope = Pick<TeamRow, "team_id" | "team_alias" | "models" | "model_aliases">;
/** The owner of a personal key (a UserRow fits). */
export type UserModelScope = Pick<UserRow, "user_id" | "models">;

export interface ModelAccessContext {
  /** null for the master key or a custom-auth principal without a key row. */
  key: KeyModelScope | null;
  team: TeamModelScope | null;
  /** The key's owner; its `models` bind only personal keys (keys without a team). */
  user?: UserModelScope | null;
  catalog: ModelCatalog;
}

export type ModelAccessResult = { ok: true; group: string } | { ok: false; error: ApiError };

const ALL_ACCESS = new Set(["*", "all-proxy-models"]);
const ALL_TEAM_MODELS = "all-team-models";

/**
 * Checks `requested` against the key's and the team's `models`, then that it names a
 * model group. Denials are 401s (`param: "model"`) naming the list as LiteLLM prints it
 * (a Python list: `['a', 'b']`); a model both lists allow but no group serves is a 400
 * whose message starts with `${route}: ` when `route` is given (e.g. `/chat/completions`).
 */
export function checkModelAccess(requested: string, ctx: ModelAccessContext & { route?: string }): ModelAccessResult {
  const { key, team, catalog } = ctx;
  const { group, candidates } = resolveModel(requested, {
    keyAliases: key?.aliases ?? {},
    teamAliases: team?.model_aliases ?? {},
    catalog,
  });
  if (key !== null && !keyAllows(key, candidates, catalog)) {
    const message = `key not allowed to access model. This key can only access models=${pyList(key.models)}. Tried to access ${requested}`;
    return { ok: false, error: new ApiError("key_model_access_denied", message, { param: "model" }) };
  }
  if (team !== null && !teamAllows(team, candidates, catalog)) {
    const name = team.team_alias === null ? team.team_id : `${team.team_id} (${team.team_alias})`;
    const message = `Team not allowed to access model. Team=${name}, Model=${requested}. Allowed team models = ${pyList(team.models)}`;
    return { ok: false, error: new ApiError("team_model_access_denied", message, { param: "model" }) };
  }
  const user = team === null ? (ctx.user ?? null) : null;
  if (user !== null && !userAllows(user, candidates, catalog)) {
    const message = `User not allowed to access model. User=${user.user_id}, Model=${requested}. Allowed user models = ${pyList(user.models)}`;
    return { ok: false, error: new ApiError("user_model_access_denied", message, { param: "model" }) };
  }
  if (group === null) {
    const prefix = ctx.route === undefined ? "" : `${ctx.route}: `;
    const message = `${prefix}Invalid model name passed in model=${requested}. Call \`/v1/models\` to view available models for your key.`;
    return { ok: false, error: new ApiError("bad_request", message, { param: "model" }) };
  }
  return { ok: true, group };
}

/**
 * What `/v1/models` shows: exactly the names the caller may call. First the catalog's
 * groups (wildcard groups as written, e.g. `openai/*`) and visible `model_group_alias`
 * names, in config order; then names the key's or team's `models` list explicitly that
 * only a wildcard group serves (key `["gpt-4o"]` with an `openai/*` deployment lists
 * `gpt-4o`). With `includeAccessGroups`, access groups whose every member is callable are
 * appended. Key aliases, team aliases and `model_alias_map` names are callable but not listed.
 */
export function listAllowedModels(ctx: ModelAccessContext & { includeAccessGroups?: boolean }): string[] {
  const { key, team, user, catalog } = ctx;
  const callable = (name: string) => checkModelAccess(name, { key, team, user, catalog }).ok;
  const visibleAliases = [...catalog.groupAliases].filter(([, alias]) => !alias.hidden).map(([name]) => name);
  const explicit = [...(key?.models ?? []), ...(team?.models ?? [])].filter(
    (name) => !ALL_ACCESS.has(name) && name !== ALL_TEAM_MODELS && name !== "no-default-models" && !catalog.accessGroups.has(name),
  );
  const listed = [...new Set([...catalog.groups, ...visibleAliases, ...explicit])].filter(callable);
  if (ctx.includeAccessGroups !== true) return listed;
  const groups = [...catalog.accessGroups].filter(([, members]) => members.length > 0 && members.every(callable));
  return [...listed, ...groups.map(([name]) => name).filter((name) => !listed.includes(name))];
}

function keyAllows(key: KeyModelScope, candidates: readonly string[], catalog: ModelCatalog): boolean {
  return key.models.includes(ALL_TEAM_MODELS) || listAllows(key.models, candidates, catalog);
}

function teamAllows(team: TeamModelScope, candidates: readonly string[], catalog: ModelCatalog): boolean {
  return candidates.some((name) => Object.hasOwn(team.model_aliases, name)) || listAllows(team.models, candidates, catalog);
}

/** `no-default-models` on a user: its personal keys may call nothing (team keys still work). */
function userAllows(user: UserModelScope, candidates: readonly string[], catalog: ModelCatalog): boolean {
  return !user.models.includes("no-default-models") && listAllows(user.models, candidates, catalog);
}

function listAllows(models: readonly string[], candidates: readonly string[], catalog: ModelCatalog): boolean {
  if (models.length === 0 || models.some((m) => ALL_ACCESS.has(m))) return true;
  for (const entry of expandAccessGroups(models, catalog)) {
    if (candidates.includes(entry)) return true;
    if (!isWildcard(entry)) continue;
    const regex = globToRegExp(entry);
    if (candidates.some((name) => matchesGlob(regex, name))) return true;
  }
  return false;
}

/** An access-group entry becomes its members; it stays a literal name only if it is also a group. */
function expandAccessGroups(models: readonly string[], catalog: ModelCatalog): Set<string> {
  const entries = new Set<string>();
  for (const entry of models) {
    const members = catalog.accessGroups.get(entry);
    if (members === undefined || catalog.groupSet.has(entry)) entries.add(entry);
    for (const member of members ?? []) entries.add(member);
  }
  return entries;
}

/** A string list as Python's `repr` prints it, since clients match LiteLLM's messages. */
export function pyList(items: readonly string[]): string {
  return `[${items.map(pyStr).join(", ")}]`;
}

const PY_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/[\\\x00-\x1f\x7f]/g, (c) => PY_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return quote + (quote === "'" ? escaped.replaceAll("'", "\\'") : escaped) + quote;
}
