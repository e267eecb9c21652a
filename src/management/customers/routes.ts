/**
 * /customer/* routes, also mounted under /end_user/* (LiteLLM's older names, hidden
 * from the API reference). HTTP shapes only; the logic lives in service.ts.
 */
import { Elysia } from "elysia";
import { doc } from "../docs.ts";
import type { managementGuard } from "../guard.ts";
import { CustomerBody, CustomerIdsBody, CustomerInfoQuery } from "./model.ts";
import type { CustomerService } from "./service.ts";

export interface CustomerRoutesDeps {
  guard: ReturnType<typeof managementGuard>;
  customers: CustomerService;
}

export function customerRoutes(deps: CustomerRoutesDeps) {
  return new Elysia().use(customerRoutesAt("/customer", deps, false)).use(customerRoutesAt("/end_user", deps, true));
}

function customerRoutesAt(prefix: "/customer" | "/end_user", { guard, customers }: CustomerRoutesDeps, hide: boolean) {
  const detail = (summary: string, description?: string) => ({ ...doc(summary, description), hide });
  return new Elysia({ tags: ["customer management"] })
    .use(guard)
    .post(`${prefix}/new`, ({ principal, body }) => customers.create(principal, body), {
      body: CustomerBody,
      detail: detail("Create a customer (admins)", "Budget fields create the customer's own budget row; budget_id links an existing one. 400 on a duplicate id."),
    })
    .get(`${prefix}/info`, ({ principal, query }) => customers.info(principal, query.end_user_id), {
      query: CustomerInfoQuery,
      detail: detail("A customer with its budget (admins and admin viewers)"),
    })
    .post(`${prefix}/update`, ({ principal, body }) => customers.update(principal, body), {
      body: CustomerBody,
      detail: detail("Update a customer (admins)", "Only the fields present change; budget fields change the linked budget row (or create one)."),
    })
    .post(`${prefix}/delete`, ({ principal, body }) => customers.delete(principal, body.user_ids), {
      body: CustomerIdsBody,
      detail: detail("Delete customers (admins)", "All or nothing: 404 if any id is unknown."),
    })
    .get(`${prefix}/list`, ({ principal }) => customers.list(principal), {
      detail: detail("Every customer (admins and admin viewers)"),
    })
    .post(`${prefix}/block`, ({ principal, body }) => customers.setBlocked(principal, body.user_ids, true), {
      body: CustomerIdsBody,
      detail: detail("Block customers (admins)", "Creates unknown ids as blocked customers."),
    })
    .post(`${prefix}/unblock`, ({ principal, body }) => customers.setBlocked(principal, body.user_ids, false), {
      body: CustomerIdsBody,
      detail: detail("Unblock customers (admins)"),
    });
}
