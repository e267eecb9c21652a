/** The model names the signed-in key may call, for pickers. */
import { get } from "../api.ts";
import { useAsync } from "../components/async.ts";

/** Undefined until known, and if /v1/models cannot be read (a picker then falls back to free text). */
export function useModelNames(): string[] | undefined {
  return useAsync(() => get<{ data: { id: string }[] }>("/v1/models").then((answer) => answer.data.map((m) => m.id)), []).data;
}
