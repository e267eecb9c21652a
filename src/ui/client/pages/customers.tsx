import type { Route } from "../router.ts";

export function CustomersPage(_props: { route: Route }) {
  return <h1>Customers</h1>;
}
