/** OpenAPI details for management routes: summary, error envelope, bearer auth. */
import { t } from "elysia";

export const ErrorEnvelope = t.Object(
  {
    error: t.Object({
      message: t.String(),
      type: t.String(),
      param: t.Union([t.String(), t.Null()]),
      code: t.String({ description: "The HTTP status, as a string." }),
    }),
  },
  { description: "Error envelope (every failure)" },
);

/** Registered under components.schemas by the API reference plugin. */
export const ERROR_SCHEMA_REF = "#/components/schemas/ErrorEnvelope";

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: ERROR_SCHEMA_REF } } } });

/** `detail` for a route: what it does, and the failures a client should expect. */
export function doc(summary: string, description?: string) {
  return {
    summary,
    description,
    responses: {
      200: { description: "Success" },
      400: errorResponse("Bad request (invalid value, duplicate alias, unknown reference)"),
      401: errorResponse("Missing, invalid, blocked or expired key"),
      403: errorResponse("The caller's role or ownership does not allow this"),
      404: errorResponse("Unknown key, user or other resource"),
      422: errorResponse("Body or query does not match the schema; `param` names the field"),
    },
  };
}
