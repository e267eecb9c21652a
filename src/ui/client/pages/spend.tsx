import type { Route } from "../router.ts";

export function SpendPage(_props: { route: Route }) {
  return <h1>Spend</h1>;
}
