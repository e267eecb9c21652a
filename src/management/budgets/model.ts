/** Request schemas of the /budget/* routes (API.md §2.4). */
import { type Static, t } from "elysia";
import { Count, Id, Money, nullable } from "../schema-parts.ts";

const DurationText = (description: string) => t.String({ maxLength: 32, description });

/** `{"<model>": {max_budget, budget_duration, tpm_limit, rpm_limit}}`. */
export const ModelMaxBudget = t.Record(
  t.String({ maxLength: 255 }),
  t.Object({
    max_budget: nullable(Money()),
    budget_duration: nullable(DurationText("Window of this model's budget, e.g. 1d.")),
    tpm_limit: nullable(Count),
    rpm_limit: nullable(Count),
  }),
  { description: "Per-model budgets and limits." },
);

/** The columns of a budget row, as BudgetNewRequest names them; /customer/* accepts them too. */
export const budgetFields = {
  max_budget: nullable(Money({ description: "USD budget; requests are refused once spend reaches it." })),
  soft_budget: nullable(Money({ description: "Alert threshold in USD (does not block)." })),
  max_parallel_requests: nullable(Count),
  tpm_limit: nullable(Count),
  rpm_limit: nullable(Count),
  budget_duration: nullable(DurationText("Budget window, e.g. 1d, 7d, 1mo; spend resets at aligned boundaries.")),
  model_max_budget: nullable(ModelMaxBudget),
  budget_reset_at: nullable(t.String({ maxLength: 64, description: "ISO 8601 date-time of the next reset; derived from budget_duration when absent." })),
};
export type BudgetFieldValues = { [K in keyof typeof budgetFields]?: Static<(typeof budgetFields)[K]> };

export const BudgetBody = t.Object(
  {
    ...budgetFields,
    budget_id: nullable(Id),
  },
  { description: "BudgetNewRequest" },
);
export type BudgetRequest = Static<typeof BudgetBody>;

export const BudgetInfoBody = t.Object({ budgets: t.Array(Id, { maxItems: 1000, description: "Budget ids." }) });

export const DeleteBudgetBody = t.Object({ id: Id });
