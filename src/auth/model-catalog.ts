/**
 * The models a config serves, in the shape access checks need: model groups, wildcard
 * groups, access groups and aliases. Built once from the frozen config.
 */
import type { Config } from "../config/schema.ts";
import { bySpecificity, globToRegExp, isWildcard, matchesGlob } from "./model-patterns.ts";

/** A `router_settings.model_group_alias` entry; hidden aliases are callable but not listed. */
export interface GroupAlias {
  readonly target: string;
  readonly hidden: boolean;
}

export interface WildcardGroup {
  readonly name: string;
  readonly regex: RegExp;
}

export interface ModelCatalog {
  /** Every model group (distinct `model_name`), in config order; wildcard groups as written. */
  readonly groups: readonly string[];
  readonly groupSet: ReadonlySet<string>;
  /** Groups whose name contains `*`, most specific first (ties in config order). */
  readonly wildcardGroups: readonly WildcardGroup[];
  /**
   * Access group name → member model groups (config order). An access group with no
   * members grants nothing (LiteLLM's empty-group-grants-all bug is not copied).
   */
  readonly accessGroups: ReadonlyMap<string, readonly string[]>;
  /** `litellm_settings.model_alias_map`. */
  readonly aliasMap: ReadonlyMap<string, string>;
  /** `router_settings.model_group_alias`, in config order. */
  readonly groupAliases: ReadonlyMap<string, GroupAlias>;
}

export function buildModelCatalog(config: Config): ModelCatalog {
  const groups: string[] = [];
  const accessGroups = new Map<string, string[]>();
  for (const deployment of config.model_list) {
    const name = deployment.model_name;
    if (!groups.includes(name)) groups.push(name);
    for (const access of deployment.model_info?.access_groups ?? []) {
      const members = accessGroups.get(access) ?? [];
      if (!members.includes(name)) members.push(name);
      accessGroups.set(access, members);
    }
  }

  const groupAliases = new Map<string, GroupAlias>();
  for (const [alias, value] of Object.entries(config.router_settings?.model_group_alias ?? {})) {
    groupAliases.set(alias, typeof value === "string" ? { target: value, hidden: false } : { target: value.model, hidden: value.hidden === true });
  }

  return {
    groups,
    groupSet: new Set(groups),
    wildcardGroups: groups
      .filter(isWildcard)
      .sort(bySpecificity)
      .map((name) => ({ name, regex: globToRegExp(name) })),
    accessGroups,
    aliasMap: new Map(Object.entries(config.litellm_settings?.model_alias_map ?? {})),
    groupAliases,
  };
}

export interface Resolution {
  /** The model group to route to, or null when the name matches no group (unknown model). */
  group: string | null;
  /** The requested name and every alias target it passed through, without repeats. */
  candidates: string[];
}

export interface AliasTables {
  /** The key's `aliases`. */
  keyAliases: Readonly<Record<string, string>>;
  /** The key's team's `model_aliases`. */
  teamAliases: Readonly<Record<string, string>>;
  catalog: ModelCatalog;
}

const lookup = (table: Readonly<Record<string, string>>, name: string): string | undefined => {
  const value = Object.hasOwn(table, name) ? table[name] : undefined;
  return typeof value === "string" ? value : undefined;
};

/**
 * Rewrites `requested` through the key's aliases, then the team's, then `model_alias_map`,
 * then `model_group_alias` (each applied once, to the name the previous step produced),
 * and finds the group serving the result: an exact group name, else the most specific
 * wildcard group matching it (`openai/*` before `*`).
 */
export function resolveModel(requested: string, ctx: AliasTables): Resolution {
  const { catalog } = ctx;
  const steps: ReadonlyArray<(name: string) => string | undefined> = [
    (name) => lookup(ctx.keyAliases, name),
    (name) => lookup(ctx.teamAliases, name),
    (name) => catalog.aliasMap.get(name),
    (name) => catalog.groupAliases.get(name)?.target,
  ];
  const candidates = [requested];
  let current = requested;
  for (const step of steps) {
    const next = step(current);
    if (next === undefined || next === "") continue;
    current = next;
    if (!candidates.includes(next)) candidates.push(next);
  }
  return { group: findGroup(current, catalog), candidates };
}

function findGroup(name: string, catalog: ModelCatalog): string | null {
  if (catalog.groupSet.has(name)) return name;
  return catalog.wildcardGroups.find((w) => matchesGlob(w.regex, name))?.name ?? null;
}
