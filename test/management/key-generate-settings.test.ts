/**
 * The config's say over new keys (API.md §1.1 and the seed page's "Upperbound" and
 * "Default /key/generate params"): defaults fill what a request leaves unset, upper
 * bounds refuse anything above them and fill what is unset, and
 * key_generation_settings decides who may mint keys and what they must pass.
 */
import { expect, test } from "bun:test";
import type { Config } from "../../src/config/index.ts";
import { describeStores } from "../support/harness.ts";
import { createUser, expectError, uniqueId } from "../support/management.ts";

describeStores(
  "default_key_generate_params",
  (h) => {
    test("fill what the request leaves unset, and only that", async () => {
      const filled = await h().post("/key/generate", {});
      expect(filled.status).toBe(200);
      expect(filled.body).toMatchObject({ max_budget: 1.5, models: ["azure-gpt-3.5"], metadata: { setting: "default" }, rpm_limit: 10 });

      const own = await h().post("/key/generate", { max_budget: 3, models: ["gpt-4"], metadata: { mine: true }, rpm_limit: 2 });
      expect(own.body).toMatchObject({ max_budget: 3, models: ["gpt-4"], metadata: { mine: true }, rpm_limit: 2 });
    });
  },
  {
    config: {
      litellm_settings: { default_key_generate_params: { max_budget: 1.5, models: ["azure-gpt-3.5"], metadata: { setting: "default" }, rpm_limit: 10 } },
    } as Partial<Config>,
  },
);

describeStores(
  "upperbound_key_generate_params",
  (h) => {
    test("a value above a bound is 400 naming the field, the user value and the bound; nothing is stored", async () => {
      const before = (await h().store.listKeys({}, { offset: 0, limit: 1 }, { by: "created_at", order: "desc" })).total;
      const cases: [Record<string, unknown>, string][] = [
        [{ max_budget: 200 }, "max_budget is over max limit set in config - user_value=200; max_value=100"],
        [{ rpm_limit: 1001 }, "rpm_limit is over max limit set in config - user_value=1001; max_value=1000"],
        [{ duration: "31d" }, "duration is over max limit set in config - user_value=31d; max_value=30d"],
        [{ duration: "5w" }, "duration is over max limit set in config - user_value=5w; max_value=30d"],
        [{ budget_duration: "11d" }, "budget_duration is over max limit set in config - user_value=11d; max_value=10d"],
      ];
      for (const [body, message] of cases) {
        const res = await h().post("/key/generate", body);
        expectError(res, { status: 400, type: "bad_request_error" });
        expect(res.body.error.message).toBe(message);
      }
      expect((await h().store.listKeys({}, { offset: 0, limit: 1 }, { by: "created_at", order: "desc" })).total).toBe(before);
    });

    test("values within the bounds are kept; unset bounded fields take the bound", async () => {
      const within = await h().post("/key/generate", { max_budget: 50, duration: "2w", rpm_limit: 5 });
      expect(within.status).toBe(200);
      expect(within.body).toMatchObject({ max_budget: 50, rpm_limit: 5, tpm_limit: 1000, max_parallel_requests: 1000, budget_duration: "10d" });
      const unset = await h().post("/key/generate", {});
      expect(unset.body).toMatchObject({ max_budget: 100, rpm_limit: 1000, budget_duration: "10d" });
      expect(Date.parse(unset.body.expires) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    });
  },
  {
    config: {
      litellm_settings: {
        upperbound_key_generate_params: { max_budget: 100, budget_duration: "10d", duration: "30d", max_parallel_requests: 1000, tpm_limit: 1000, rpm_limit: 1000 },
      },
    } as Partial<Config>,
  },
);

describeStores(
  "key_generation_settings",
  (h) => {
    test("personal keys: only the allowed user roles; proxy admins are never limited", async () => {
      const plain = await createUser(h());
      const refused = await h().post("/key/generate", {}, plain.key);
      expectError(refused, { status: 403, type: "auth_error" });
      expect(refused.body.error.message).toBe("User role internal_user is not allowed to generate personal keys. Allowed roles: proxy_admin");

      const adminUser = await createUser(h(), { user_role: "proxy_admin" });
      expect((await h().post("/key/generate", {}, adminUser.key)).status).toBe(200);
      expect((await h().post("/key/generate", {})).status).toBe(200); // the master key
    });

    test("team keys: only members with an allowed role, with the required params", async () => {
      const teamId = uniqueId("team");
      const lead = await createUser(h());
      const member = await createUser(h());
      await h().post("/team/new", { team_id: teamId, members_with_roles: [{ role: "admin", user_id: lead.user_id }, { role: "user", user_id: member.user_id }] });

      expectError(await h().post("/key/generate", { team_id: teamId, tags: ["t"] }, member.key), { status: 403, type: "auth_error" });
      const missing = await h().post("/key/generate", { team_id: teamId }, lead.key);
      expectError(missing, { status: 400, type: "bad_request_error" });
      expect(missing.body.error.message).toBe("Required param(s) missing for this key: tags");
      expect((await h().post("/key/generate", { team_id: teamId, tags: ["t"] }, lead.key)).status).toBe(200);
    });
  },
  {
    config: {
      litellm_settings: {
        key_generation_settings: {
          team_key_generation: { allowed_team_member_roles: ["admin"], required_params: ["tags"] },
          personal_key_generation: { allowed_user_roles: ["proxy_admin"] },
        },
      },
    } as Partial<Config>,
  },
);
