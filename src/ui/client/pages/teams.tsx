import type { Route } from "../router.ts";

export function TeamsPage(_props: { route: Route }) {
  return <h1>Teams</h1>;
}
