import type { Route } from "../router.ts";

export function ModelsPage(_props: { route: Route }) {
  return <h1>Models</h1>;
}
