/**
 * What the config says about new keys (API.md §1.1, §5; the seed page's "Default" and
 * "Upperbound /key/generate params"):
 *  - `default_key_generate_params` fills fields the request leaves unset;
 *  - `upperbound_key_generate_params` caps max_budget, budget_duration, duration,
 *    max_parallel_requests, tpm_limit and rpm_limit: a value above the bound is a 400
 *    (`<field> is over max limit set in config - user_value=…; max_value=…`) and an
 *    unset field takes the bound. Durations compare by length.
 *  - `key_generation_settings` says which team roles and user roles may mint keys for
 *    non-admins, and which params they must pass.
 */
import type { Principal } from "../../auth/principal.ts";
import { isAdmin } from "../../auth/roles.ts";
import type { LitellmSettings } from "../../config/index.ts";
import type { JsonObject } from "../../db/json.ts";
import type { TeamMemberRow } from "../../db/rows.ts";
import { badRequest, forbidden } from "../../errors.ts";
import { durationSeconds } from "../../util/duration.ts";
import { durationField } from "./fields.ts";
import type { GenerateKeyRequest } from "./model.ts";

const BOUNDED_NUMBERS = ["max_budget", "max_parallel_requests", "tpm_limit", "rpm_limit"] as const;
const BOUNDED_DURATIONS = ["budget_duration", "duration"] as const;
const DEFAULTED = ["max_budget", "user_id", "team_id", "max_parallel_requests", "tpm_limit", "rpm_limit", "budget_duration", "duration", "soft_budget"] as const;

export type KeyGeneratePolicy = ReturnType<typeof createKeyGeneratePolicy>;

export function createKeyGeneratePolicy(settings: Pick<LitellmSettings, "default_key_generate_params" | "upperbound_key_generate_params" | "key_generation_settings">) {
  const defaults = settings.default_key_generate_params ?? {};
  const bounds = settings.upperbound_key_generate_params ?? {};
  const rules = settings.key_generation_settings ?? {};

  function withDefaults(req: GenerateKeyRequest): GenerateKeyRequest {
    const out: GenerateKeyRequest = { ...req };
    const fields = out as Record<string, unknown>;
    for (const field of DEFAULTED) {
      if (fields[field] == null && defaults[field] != null) fields[field] = defaults[field];
    }
    if ((out.models == null || out.models.length === 0) && defaults.models) out.models = [...defaults.models];
    if ((out.metadata == null || Object.keys(out.metadata).length === 0) && defaults.metadata) out.metadata = { ...(defaults.metadata as JsonObject) };
    return out;
  }

  function withinBounds(req: GenerateKeyRequest): GenerateKeyRequest {
    const out: GenerateKeyRequest = { ...req };
    const fields = out as Record<string, unknown>;
    for (const field of BOUNDED_NUMBERS) {
      const bound = bounds[field];
      if (bound == null) continue;
      const value = fields[field];
      if (value == null) fields[field] = bound;
      else if (typeof value === "number" && value > bound) throw overLimit(field, value, bound);
    }
    for (const field of BOUNDED_DURATIONS) {
      const bound = bounds[field];
      if (bound == null) continue;
      const value = fields[field] as string | null | undefined;
      if (value == null) {
        fields[field] = bound;
        continue;
      }
      const requested = durationField(field, value);
      const limit = durationField(`upperbound_key_generate_params.${field}`, bound);
      if (requested && limit && durationSeconds(requested) > durationSeconds(limit)) throw overLimit(field, value, bound);
    }
    return out;
  }

  return {
    /** The request as it will be stored: defaults filled in, then checked against the bounds. */
    apply(req: GenerateKeyRequest): GenerateKeyRequest {
      return withinBounds(withDefaults(req));
    },

    /** key_generation_settings, for callers that are not proxy admins. */
    checkCaller(principal: Principal, req: GenerateKeyRequest, membership: TeamMemberRow | null): void {
      if (isAdmin(principal.role)) return;
      const rule = req.team_id ? rules.team_key_generation : rules.personal_key_generation;
      if (!rule) return;
      if (req.team_id) {
        const allowed = rules.team_key_generation?.allowed_team_member_roles;
        if (allowed && !(membership && allowed.includes(membership.role))) {
          throw forbidden(`Team member role ${membership?.role ?? "(none)"} is not allowed to generate keys for team ${req.team_id}. Allowed roles: ${allowed.join(", ")}`);
        }
      } else {
        const allowed = rules.personal_key_generation?.allowed_user_roles;
        if (allowed && !allowed.includes(principal.role)) {
          throw forbidden(`User role ${principal.role} is not allowed to generate personal keys. Allowed roles: ${allowed.join(", ")}`);
        }
      }
      const fields = req as Record<string, unknown>;
      const missing = (rule.required_params ?? []).filter((p) => fields[p] == null);
      if (missing.length > 0) throw badRequest(`Required param(s) missing for this key: ${missing.join(", ")}`, missing[0]);
    },
  };
}

function overLimit(field: string, value: number | string, bound: number | string) {
  return badRequest(`${field} is over max limit set in config - user_value=${value}; max_value=${bound}`, field);
}
