/**
 * Request schemas of the spend routes (API.md §2.5). Dates are `YYYY-MM-DD` UTC days;
 * the calendar check (no 2024-02-30) happens in dates.ts.
 */
import { type Static, t } from "elysia";
import { Id, JsonMap, nullable, OneOf } from "../schema-parts.ts";

const Day = (description: string) => t.String({ maxLength: 10, pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });
const KeyRef = t.String({ minLength: 1, maxLength: 255, description: "Plaintext sk-… key or its sha256 hash." });
const Page = t.Optional(t.Numeric({ description: "Page number, from 1." }));
const Limit = (description: string) => t.Optional(t.Numeric({ description }));

export const SpendLogsQuery = t.Object({
  api_key: t.Optional(KeyRef),
  user_id: t.Optional(Id),
  request_id: t.Optional(t.String({ minLength: 1, maxLength: 255 })),
  start_date: t.Optional(Day("First day (UTC), inclusive.")),
  end_date: t.Optional(Day("Last day (UTC), inclusive.")),
  summarize: t.Optional(t.BooleanString({ description: "With both dates: per-day totals (default true); false = the rows." })),
  page: Page,
  page_size: t.Optional(t.Numeric({ description: "Rows per page, 1 to 1000 (default 1000)." })),
});
export type SpendLogsParams = Static<typeof SpendLogsQuery>;

export const SpendListQuery = t.Object({
  page: Page,
  size: t.Optional(t.Numeric({ description: "Rows per page, 1 to 1000 (default 1000)." })),
});
export type SpendListParams = Static<typeof SpendListQuery>;

export const SpendUsersQuery = t.Object({ ...SpendListQuery.properties, user_id: t.Optional(Id) });

export const TopKeysQuery = t.Object({ limit: Limit("How many keys, 1 to 1000 (default: all, up to 1000).") });
export const TopModelsQuery = t.Object({ limit: Limit("How many models, 1 to 1000 (default 10).") });

export const EndUsersQuery = t.Object({
  api_key: t.Optional(KeyRef),
  start_date: t.Optional(Day("First day (UTC), inclusive; default: 30 days ago.")),
  end_date: t.Optional(Day("Last day (UTC), inclusive.")),
});

/** LiteLLM's POST /global/spend/end_users body (GlobalEndUsersSpend). */
export const EndUsersBody = t.Object({
  api_key: nullable(KeyRef),
  startTime: nullable(t.String({ maxLength: 64, description: "ISO date-time; default: 30 days ago." })),
  endTime: nullable(t.String({ maxLength: 64, description: "ISO date-time, exclusive; default: now." })),
});

export const SPEND_REPORT_GROUPS = ["team", "customer", "api_key"] as const;
export type SpendReportGroup = (typeof SPEND_REPORT_GROUPS)[number];

export const SpendReportQuery = t.Object({
  start_date: t.Optional(Day("First day (UTC), inclusive. Required.")),
  end_date: t.Optional(Day("Last day (UTC), inclusive. Required.")),
  group_by: t.Optional(OneOf(SPEND_REPORT_GROUPS, { description: "team (default), customer or api_key." })),
  api_key: t.Optional(KeyRef),
  internal_user_id: t.Optional(Id),
  team_id: t.Optional(Id),
  customer_id: t.Optional(Id),
});
export type SpendReportParams = Static<typeof SpendReportQuery>;

export const CalculateBody = t.Object(
  {
    model: nullable(t.String({ minLength: 1, maxLength: 255, description: "A model group of this proxy, or a model of the price map." })),
    messages: nullable(t.Array(JsonMap, { maxItems: 10_000, description: "Chat messages: the prompt to price." })),
    completion_response: nullable(JsonMap),
  },
  { description: "SpendCalculateRequest" },
);
export type CalculateRequest = Static<typeof CalculateBody>;
