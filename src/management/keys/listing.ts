/**
 * /key/list and /key/aliases. Admins and viewers see every key; anyone else sees
 * the keys of their own user (plus, with include_team_keys, those of teams they
 * administer), or only their own key when it belongs to no user.
 */
import { toToken } from "../../auth/key-format.ts";
import type { Principal } from "../../auth/principal.ts";
import { canReadAll } from "../../auth/roles.ts";
import type { KeyFilter, Store } from "../../db/store/index.ts";
import type { LiveSpend } from "../live-spend.ts";
import { paging } from "../paging.ts";
import type { KeyListParams } from "./model.ts";
import { presentKey } from "./present.ts";

export function createKeyListing(store: Store, liveSpend: LiveSpend) {
  async function scope(principal: Principal, filter: KeyFilter, includeTeamKeys: boolean): Promise<KeyFilter> {
    if (canReadAll(principal.role)) return filter;
    if (principal.userId === null) return { ...filter, token: principal.token ?? "" };
    const { user_id: _ignored, ...rest } = filter;
    const adminOf = includeTeamKeys
      ? (await store.getMembershipsOfUser(principal.userId)).filter((m) => m.role === "admin").map((m) => m.team_id)
      : [];
    return { ...rest, user_or_teams: { user_id: principal.userId, team_ids: adminOf } };
  }

  return {
    async list(principal: Principal, query: KeyListParams) {
      const page = paging(query.page, query.size, { sizeParam: "size", defaultSize: 10, maxSize: 100 });
      const filter = await scope(
        principal,
        {
          user_id: query.user_id,
          team_id: query.team_id,
          organization_id: query.organization_id,
          token: query.key_hash !== undefined ? toToken(query.key_hash) : undefined,
          key_alias: query.key_alias,
          alias_search: query.search || undefined,
        },
        query.include_team_keys === true,
      );
      const { rows, total } =
        query.status === "deleted"
          ? await store.listDeletedKeys(filter, page)
          : await store.listKeys(filter, page, { by: query.sort_by ?? "created_at", order: query.sort_order ?? "desc" }).then((r) => ({ ...r, rows: r.rows.map((k) => presentKey({ ...k, spend: k.spend + liveSpend.key(k.token) }, null)) }));
      return {
        keys: query.return_full_object ? rows : rows.map((r) => r.token),
        total_count: total,
        current_page: page.page,
        total_pages: page.totalPages(total),
      };
    },

    async aliases(principal: Principal, query: { page?: number; size?: number; search?: string }) {
      const page = paging(query.page, query.size, { sizeParam: "size", defaultSize: 50, maxSize: 100 });
      const filter = await scope(principal, query.search ? { alias_search: query.search } : {}, false);
      const { aliases, total } = await store.listKeyAliases(filter, page);
      return { aliases, total_count: total, current_page: page.page, total_pages: page.totalPages(total), size: page.size };
    },
  };
}
