/**
 * Internal users (API.md §2.1): the logic behind /user/*, free of HTTP. A user owns
 * personal keys and a budget of its own; its role decides what its keys may manage.
 */
import type { AuthInvalidator } from "../../auth/invalidation.ts";
import type { Principal } from "../../auth/principal.ts";
import { canReadAll, isAdmin, type UserRole } from "../../auth/roles.ts";
import { isUniqueViolation } from "../../db/database.ts";
import type { NewBudgetRow, NewTeamMemberRow, NewUserRow, UserRow } from "../../db/rows.ts";
import type { Store } from "../../db/store/index.ts";
import { ApiError, badRequest, forbidden, notFound } from "../../errors.ts";
import { nextBudgetResetAt } from "../../spend/budget-reset.ts";
import { requireAdmin, requireReadAll, requireWriter } from "../access.ts";
import { paging } from "../paging.ts";
import { assertNonNegative, durationField } from "../keys/fields.ts";
import { presentKey } from "../keys/present.ts";
import type { KeyService } from "../keys/service.ts";
import type { LiveSpend } from "../live-spend.ts";
import type { NewUserRequest, UpdateUserRequest, UserListParams } from "./model.ts";
import { newBudgetRow } from "../budgets/fields.ts";

/** `litellm_settings` defaults applied to new users. */
export interface NewUserDefaults {
  default_internal_user_params?: { user_role?: string; max_budget?: number; budget_duration?: string; models?: string[] } & Record<string, unknown>;
  max_internal_user_budget?: number;
  internal_user_budget_duration?: string;
}

export interface UserServiceOptions {
  store: Store;
  keys: KeyService;
  invalidate: AuthInvalidator;
  /** Adds spend not yet flushed to the database. */
  liveSpend: LiveSpend;
  timeZone: string;
  defaults: NewUserDefaults;
  now?: () => Date;
}

/** Request fields written to the user row as they are (budget_duration and password are derived). */
const USER_COLUMNS = [
  "user_email",
  "user_alias",
  "user_role",
  "max_budget",
  "soft_budget",
  "models",
  "tpm_limit",
  "rpm_limit",
  "max_parallel_requests",
  "model_max_budget",
  "metadata",
  "spend",
  "sso_user_id",
  "organization_id",
] as const satisfies readonly (keyof UpdateUserRequest & keyof NewUserRow)[];

/** Fields a user may change on its own record; everything else needs a proxy admin. */
const SELF_SERVICE_FIELDS = new Set(["user_id", "user_email", "user_alias", "password", "metadata"]);

/** Key fields of a /user/new body that belong to the auto-created key rather than the user. */
const KEY_ONLY_FIELDS = [
  "key_alias",
  "duration",
  "models",
  "aliases",
  "config",
  "permissions",
  "allowed_routes",
  "key_type",
  "tags",
  "allowed_cache_controls",
  "guardrails",
  "blocked",
  "team_id",
  "enforced_params",
  "model_rpm_limit",
  "model_tpm_limit",
] as const;

type PresentedUser = Omit<UserRow, "password_hash"> & { teams: string[] };

export function createUserService(options: UserServiceOptions) {
  const { store, invalidate, timeZone } = options;
  const now = options.now ?? (() => new Date());

  async function present(user: UserRow): Promise<PresentedUser> {
    const { password_hash: _secret, ...fields } = user;
    const teams = (await store.getMembershipsOfUser(user.user_id)).map((m) => m.team_id);
    return { ...fields, spend: user.spend + options.liveSpend.user(user.user_id), teams };
  }

  function budgetColumns(req: { budget_duration?: string | null }, at: Date): Partial<NewUserRow> {
    if (req.budget_duration === undefined) return {};
    const duration = durationField("budget_duration", req.budget_duration);
    return { budget_duration: duration ? req.budget_duration!.trim() : null, budget_reset_at: duration ? nextBudgetResetAt(duration, at, timeZone) : null };
  }

  /** Applies default_internal_user_params and the internal-user budget defaults to unset fields. */
  function withDefaults(req: NewUserRequest): NewUserRequest {
    const d = options.defaults;
    const params = d.default_internal_user_params ?? {};
    const role = req.user_role ?? (params.user_role as UserRole | undefined) ?? "internal_user";
    const out: NewUserRequest = { ...req, user_role: role };
    out.max_budget ??= params.max_budget ?? (role === "internal_user" ? d.max_internal_user_budget : undefined);
    out.budget_duration ??= params.budget_duration ?? (role === "internal_user" ? d.internal_user_budget_duration : undefined);
    out.models ??= params.models;
    return out;
  }

  async function memberships(req: NewUserRequest, userId: string, at: Date, by: string | null) {
    const rows: NewTeamMemberRow[] = [];
    const budgets: NewBudgetRow[] = [];
    // As LiteLLM: a `team_id` (the first key's team) also makes the user a member of it.
    const refs = [...(req.teams ?? [])];
    if (req.team_id && !refs.some((ref) => (typeof ref === "string" ? ref : ref.team_id) === req.team_id)) refs.push(req.team_id);
    for (const ref of refs) {
      const team = typeof ref === "string" ? { team_id: ref, max_budget_in_team: null, user_role: null } : ref;
      const stored = await store.getTeam(team.team_id);
      if (!stored) throw badRequest(`Team not found: team_id=${team.team_id}`, "teams");
      // As /team/member_add: the team's default member budget, unless one is given here.
      let budget_id = stored.team_member_budget_id;
      if (team.max_budget_in_team != null) {
        assertNonNegative({ max_budget_in_team: team.max_budget_in_team }, ["max_budget_in_team"]);
        const budget = newBudgetRow({ max_budget: team.max_budget_in_team }, at, by);
        budgets.push(budget);
        budget_id = budget.budget_id;
      }
      rows.push({ team_id: team.team_id, user_id: userId, role: team.user_role ?? "user", budget_id, created_at: at });
    }
    return { rows, budgets };
  }

  async function assertUnique(userId: string, email: string | null | undefined): Promise<void> {
    if (await store.getUser(userId)) throw new ApiError("conflict", `User with id=${userId} already exists.`, { param: "user_id" });
    if (email && (await store.getUserByEmail(email))) throw new ApiError("conflict", `User with email=${email} already exists.`, { param: "user_email" });
  }

  async function create(principal: Principal, raw: NewUserRequest) {
    requireAdmin(principal, "/user/new");
    const req = withDefaults(raw);
    assertNonNegative(req);
    const at = now();
    const userId = req.user_id ?? crypto.randomUUID();
    await assertUnique(userId, req.user_email);
    const team = await memberships(req, userId, at, principal.userId);

    const user: NewUserRow = {
      user_id: userId,
      user_email: req.user_email ?? null,
      user_alias: req.user_alias ?? null,
      user_role: req.user_role!,
      organization_id: req.organization_id ?? null,
      sso_user_id: req.sso_user_id ?? null,
      password_hash: req.password ? await Bun.password.hash(req.password) : null,
      max_budget: req.max_budget ?? null,
      soft_budget: req.soft_budget ?? null,
      spend: req.spend ?? 0,
      models: req.models ?? [],
      max_parallel_requests: req.max_parallel_requests ?? null,
      tpm_limit: req.tpm_limit ?? null,
      rpm_limit: req.rpm_limit ?? null,
      model_max_budget: req.model_max_budget ?? {},
      model_spend: {},
      metadata: req.metadata ?? {},
      created_at: at,
      updated_at: at,
      ...budgetColumns(req, at),
    };

    let key = null;
    if (req.auto_create_key !== false) {
      const keyReq = Object.fromEntries(KEY_ONLY_FIELDS.flatMap((f) => (req[f] !== undefined ? [[f, req[f]]] : [])));
      key = await options.keys.prepareKey(principal, { ...keyReq, user_id: userId });
    }
    try {
      const stored = await store.insertUser({ user, key: key?.row ?? null, budgets: team.budgets, memberships: team.rows });
      // Keys generated for this user_id before the user row existed were cached with no owner role.
      invalidate.users([stored.user.user_id]);
      const keyFields = stored.key ? presentKey(stored.key, null) : {};
      return { ...keyFields, ...(await present(stored.user)), key: key?.plaintext ?? "", expires: stored.key?.expires ?? null };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError("conflict", "A user with this id or email, or a key with this alias, already exists.", { param: "user_id" });
      throw err;
    }
  }

  return {
    create,

    async info(principal: Principal, userId: string | undefined) {
      const id = userId ?? (principal.via === "virtual_key" ? principal.userId : undefined);
      if (!id) throw badRequest("Pass ?user_id=<id>.", "user_id");
      if (!canReadAll(principal.role) && id !== principal.userId) throw forbidden("You can only view your own user. Pass your own user_id.");
      const user = await store.getUser(id);
      if (!user) throw notFound(`User not found: user_id=${id}`, "user_id");
      const [{ rows: keys }, memberships] = await Promise.all([
        store.listKeys({ user_id: id }, { offset: 0, limit: 1000 }, { by: "created_at", order: "desc" }),
        store.getMembershipsOfUser(id),
      ]);
      const teams = await store.getTeams(memberships.map((m) => m.team_id));
      const aliasOf = new Map(teams.map((t) => [t.team_id, t.team_alias]));
      return {
        user_id: id,
        user_info: await present(user),
        keys: keys.map((k) => ({ ...presentKey({ ...k, spend: k.spend + options.liveSpend.key(k.token) }, null), team_alias: k.team_id ? (aliasOf.get(k.team_id) ?? null) : null })),
        teams,
      };
    },

    async update(principal: Principal, req: UpdateUserRequest) {
      if (!req.user_id && !req.user_email) throw badRequest("Pass user_id or user_email.", "user_id");
      const admin = isAdmin(principal.role);
      const current = req.user_id ? await store.getUser(req.user_id) : await store.getUserByEmail(req.user_email!);
      if (!current) {
        // LiteLLM creates the user when updating by an unknown email.
        if (req.user_id) throw notFound(`User not found: user_id=${req.user_id}`, "user_id");
        const created = await create(principal, { ...req, user_id: null, auto_create_key: false });
        return { user_id: created.user_id, data: created };
      }
      if (!admin) {
        if (principal.userId !== current.user_id) throw forbidden("You can only update your own user.");
        requireWriter(principal);
        const denied = [...USER_COLUMNS, "budget_duration" as const].filter((f) => req[f] !== undefined && !SELF_SERVICE_FIELDS.has(f));
        if (denied.length > 0) throw forbidden(`Only proxy admins can change ${denied.join(", ")}.`);
      }
      assertNonNegative(req);
      if (req.user_email && req.user_email.toLowerCase() !== current.user_email?.toLowerCase() && (await store.getUserByEmail(req.user_email))) {
        throw new ApiError("conflict", `User with email=${req.user_email} already exists.`, { param: "user_email" });
      }
      const at = now();
      const patch: Partial<NewUserRow> = { updated_at: at, ...budgetColumns(req, at) };
      for (const field of USER_COLUMNS) {
        const value = req[field];
        if (value !== undefined) (patch as Record<string, unknown>)[field] = value ?? defaultFor(field);
      }
      if (req.password) patch.password_hash = await Bun.password.hash(req.password);
      const row = await store.updateUser(current.user_id, patch);
      if (!row) throw notFound(`User not found: user_id=${current.user_id}`, "user_id");
      invalidate.users([row.user_id]);
      return { user_id: row.user_id, data: await present(row) };
    },

    async delete(principal: Principal, userIds: string[]) {
      requireAdmin(principal, "/user/delete");
      const ids = [...new Set(userIds)];
      const missing: string[] = [];
      for (const id of ids) if (!(await store.getUser(id))) missing.push(id);
      if (missing.length > 0) throw notFound(`Users not found: ${missing.join(", ")}. Nothing was deleted.`, "user_ids");
      const deleted = await store.deleteUsers(ids, principal.userId);
      invalidate.users(ids);
      return { deleted_users: deleted, user_ids: ids };
    },

    async list(principal: Principal, query: UserListParams) {
      requireReadAll(principal, "/user/list");
      const page = paging(query.page, query.page_size, { sizeParam: "page_size", defaultSize: 25, maxSize: 100 });
      const split = (text: string | undefined) => text?.split(",").map((s) => s.trim()).filter(Boolean);
      const { rows, total } = await store.listUsers(
        { role: query.role, user_ids: split(query.user_ids), sso_user_ids: split(query.sso_user_ids), email_search: query.user_email, team_id: query.team },
        page,
        { by: query.sort_by ?? "created_at", order: query.sort_order ?? "asc" },
      );
      // As /user/info: each user's live spend and teams (one membership read for the page).
      const teamsOf = new Map<string, string[]>();
      for (const m of await store.getMembershipsOfUsers(rows.map((u) => u.user_id))) teamsOf.set(m.user_id, [...(teamsOf.get(m.user_id) ?? []), m.team_id]);
      const users = rows.map(({ password_hash: _secret, ...u }) => ({ ...u, spend: u.spend + options.liveSpend.user(u.user_id), teams: teamsOf.get(u.user_id) ?? [] }));
      return { users, total, page: page.page, page_size: page.size, total_pages: page.totalPages(total) };
    },
  };
}

/** What a cleared (null) field becomes for the user columns that cannot be null. */
function defaultFor(field: string): unknown {
  switch (field) {
    case "models":
      return [];
    case "metadata":
    case "model_max_budget":
      return {};
    case "spend":
      return 0;
    case "user_role":
      return "internal_user";
    default:
      return null;
  }
}
