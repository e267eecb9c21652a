/** /budget/* routes: HTTP shapes only; the logic lives in service.ts. */
import { Elysia, t } from "elysia";
import { doc } from "../docs.ts";
import type { managementGuard } from "../guard.ts";
import { Id } from "../schema-parts.ts";
import { BudgetBody, BudgetInfoBody, DeleteBudgetBody } from "./model.ts";
import type { BudgetService } from "./service.ts";

export interface BudgetRoutesDeps {
  guard: ReturnType<typeof managementGuard>;
  budgets: BudgetService;
}

export function budgetRoutes({ guard, budgets }: BudgetRoutesDeps) {
  return new Elysia({ tags: ["budget management"] })
    .use(guard)
    .post("/budget/new", ({ principal, body }) => budgets.create(principal, body), {
      body: BudgetBody,
      detail: doc("Create a budget (admins)", "A budget row keys, customers and team members can link to by budget_id; 400 on a duplicate id."),
    })
    .post("/budget/update", ({ principal, body }) => budgets.update(principal, body), {
      body: BudgetBody,
      detail: doc("Update a budget (admins)", "Only the fields present change; every row linked to the budget sees the change."),
    })
    .post("/budget/info", ({ principal, body }) => budgets.info(principal, body.budgets), {
      body: BudgetInfoBody,
      detail: doc("Budgets by id (admins and admin viewers)"),
    })
    .get("/budget/settings", ({ principal, query }) => budgets.settings(principal, query.budget_id), {
      query: t.Object({ budget_id: Id }),
      detail: doc("A budget's fields, for a settings screen (admins and admin viewers)"),
    })
    .get("/budget/list", ({ principal }) => budgets.list(principal), {
      detail: doc("Every budget (admins and admin viewers)"),
    })
    .post("/budget/delete", ({ principal, body }) => budgets.delete(principal, body.id), {
      body: DeleteBudgetBody,
      detail: doc("Delete an unused budget (admins)", "Answers the deleted row; 400 while keys, customers or team members still link to it."),
    });
}
