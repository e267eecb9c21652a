/**
 * Request schemas of the /customer/* (alias /end_user/*) routes (API.md §2.3). A
 * customer's budget lives in a budget row: pass the budget fields to create (or, on
 * update, change) its own row, or `budget_id` to link an existing one.
 */
import { type Static, t } from "elysia";
import { budgetFields } from "../budgets/model.ts";
import { Id, Money, nullable, OneOf } from "../schema-parts.ts";

export const customerFields = {
  ...budgetFields,
  alias: nullable(t.String({ maxLength: 255, pattern: Id.pattern, description: "Human-friendly name." })),
  blocked: nullable(t.Boolean({ description: "Refuse requests made for this end user." })),
  budget_id: nullable(Id),
  allowed_model_region: nullable(OneOf(["eu", "us"] as const, { description: "Only use deployments in this region." })),
  default_model: nullable(t.String({ maxLength: 255, description: "A configured model group." })),
  spend: nullable(Money({ description: "Initial spend in USD." })),
};

export const CustomerBody = t.Object(
  {
    ...customerFields,
    user_id: Id,
  },
  { description: "NewCustomerRequest / UpdateCustomerRequest" },
);
export type CustomerRequest = Static<typeof CustomerBody>;

export const CustomerIdsBody = t.Object({ user_ids: t.Array(Id, { minItems: 1, maxItems: 1000 }) });

export const CustomerInfoQuery = t.Object({ end_user_id: Id });
