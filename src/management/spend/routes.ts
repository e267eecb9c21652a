/** /spend/* and /global/spend* routes: HTTP shapes only; the logic lives in service.ts. */
import { Elysia, t } from "elysia";
import { doc } from "../docs.ts";
import type { managementGuard } from "../guard.ts";
import { CalculateBody, EndUsersBody, EndUsersQuery, SpendListQuery, SpendLogsQuery, SpendReportQuery, SpendUsersQuery, TopKeysQuery, TopModelsQuery } from "./model.ts";
import type { SpendService } from "./service.ts";

export interface SpendRoutesDeps {
  guard: ReturnType<typeof managementGuard>;
  spend: SpendService;
}

const FLUSHED = "Read from the spend logs: a call appears once the ledger has flushed it (within proxy_batch_write_at seconds).";
const GLOBAL = "Admins, admin viewers and keys with permissions.get_spend_routes.";

export function spendRoutes({ guard, spend }: SpendRoutesDeps) {
  return new Elysia({ tags: ["spend tracking"] })
    .use(guard)
    .get("/spend/logs", ({ principal, query }) => spend.logs(principal, query), {
      query: SpendLogsQuery,
      detail: doc(
        "Spend logs, or spend per day",
        `With start_date and end_date (UTC days, both inclusive) and summarize (default true): one object per day, empty days at 0. Otherwise the rows, newest first, up to 1000 per page. Internal users see only their own user's calls. ${FLUSHED}`,
      ),
    })
    .get("/spend/keys", ({ principal, query }) => spend.keys(principal, query), {
      query: SpendListQuery,
      detail: doc("Every key with its spend (admins and admin viewers)", "Biggest spend first, up to 1000 per page; spend includes calls not yet flushed."),
    })
    .get("/spend/users", ({ principal, query }) => spend.users(principal, query), {
      query: SpendUsersQuery,
      detail: doc("Every user with its spend (admins and admin viewers)", "Or only ?user_id. Biggest spend first, up to 1000 per page; spend includes calls not yet flushed."),
    })
    .post("/spend/calculate", ({ principal, body }) => spend.calculate(principal, body), {
      body: CalculateBody,
      detail: doc("Cost of a prompt or of a response", "{model, messages}: the prompt tokens priced for the model. {completion_response}: its usage priced for its model. 400 for a model with no price."),
    })
    .get("/global/spend", ({ principal }) => spend.globalSpend(principal), {
      detail: doc("Total spend of all keys", `{spend, max_budget}: every key's spend, including calls not yet flushed. ${GLOBAL}`),
    })
    .get("/global/spend/keys", ({ principal, query }) => spend.topKeys(principal, query.limit), {
      query: TopKeysQuery,
      detail: doc("Keys by spend, last 30 days", `${GLOBAL} ${FLUSHED}`),
    })
    .get("/global/spend/models", ({ principal, query }) => spend.topModels(principal, query.limit), {
      query: TopModelsQuery,
      detail: doc("Models by spend, last 30 days", `${GLOBAL} ${FLUSHED}`),
    })
    .get("/global/spend/teams", ({ principal }) => spend.teams(principal), {
      detail: doc("Spend per team and day, last 30 days", `daily_spend per team id ("Unassigned" for no team), teams, total_spend_per_team. ${GLOBAL} ${FLUSHED}`),
    })
    .get("/global/spend/end_users", ({ principal, query }) => spend.endUsers(principal, { api_key: query.api_key, ...spend.parseEndUserWindow(query) }), {
      query: EndUsersQuery,
      detail: doc("Top 100 end users by spend", `Default window: the last 30 days. ${GLOBAL} ${FLUSHED}`),
    })
    .post("/global/spend/end_users", ({ principal, body }) => spend.endUsers(principal, { api_key: body?.api_key, ...spend.parseEndUserWindow(body ?? {}) }), {
      body: t.Optional(EndUsersBody),
      detail: doc("Top 100 end users by spend (LiteLLM's POST form)", `Body {api_key, startTime, endTime}. ${GLOBAL} ${FLUSHED}`),
    })
    .get("/global/spend/report", ({ principal, query }) => spend.report(principal, query), {
      query: SpendReportQuery,
      detail: doc(
        "Spend per day, grouped by team, customer or key",
        `start_date and end_date required (UTC days, inclusive). Per day: the groups by spend, each with its model lines. ${GLOBAL} ${FLUSHED}`,
      ),
    })
    .post("/global/spend/reset", ({ principal }) => spend.reset(principal), {
      detail: doc("Reset the spend of every key and team (master key only)", "Spend logs are kept; users, team members and customers keep their spend."),
    });
}
