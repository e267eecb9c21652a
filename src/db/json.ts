/** JSON values as stored in json/jsonb columns and echoed by the API. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
