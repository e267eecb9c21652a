/** Customers (end users): list, search, create, edit, block, delete. */
import { useState } from "preact/hooks";
import { get, post } from "../api.ts";
import { actionsColumn, PageHead } from "../components/actions.tsx";
import { useAsync } from "../components/async.ts";
import { Badge, NameCell, SpendBar } from "../components/bits.tsx";
import { AsyncView, Empty, useOutcome } from "../components/feedback.tsx";
import { type Body, EntityForm } from "../components/form.tsx";
import { limits } from "../components/format.ts";
import { Confirm, Modal } from "../components/modal.tsx";
import { type Column, Pager, SearchBox, Table } from "../components/table.tsx";
import { href, navigate, type Route } from "../router.ts";
import { canChange, seesEverything, useSession } from "../session.ts";
import { BUDGET_FIELD_NAMES, CUSTOMER_ID_FIELD, customerFields } from "./customer-fields.ts";
import { useModelNames } from "./model-names.ts";

interface Budget {
  budget_id: string;
  max_budget: number | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
  [field: string]: unknown;
}

export interface CustomerRow {
  user_id: string;
  alias: string | null;
  spend: number;
  allowed_model_region: "eu" | "us" | null;
  default_model: string | null;
  budget_id: string | null;
  blocked: boolean;
  /** The linked budget row: the customer's budget and limits live here. */
  litellm_budget_table: Budget | null;
  [field: string]: unknown;
}

type Dialog = { kind: "create" } | { kind: "edit" | "delete"; customer: CustomerRow } | null;

const PAGE_SIZE = 25;

export function CustomersPage({ route }: { route: Route }) {
  const session = useSession();
  const page = Math.max(1, Number(route.params.get("page")) || 1);
  const search = route.params.get("search") ?? "";
  // /customer/list answers every customer at once; search and pages are done here.
  const state = useAsync(() => get<CustomerRow[]>("/customer/list"), []);
  const modelNames = useModelNames();
  const [dialog, setDialog] = useState<Dialog>(null);
  // Only proxy admins may change customers.
  const mayChange = canChange(session) && seesEverything(session);

  const go = (next: { page?: number; search?: string }) => navigate(href("customers", [], { page: next.page, search: next.search ?? search }));
  const outcome = useOutcome(() => {
    setDialog(null);
    state.reload();
  });
  const setBlocked = async (customer: CustomerRow, blocked: boolean) => {
    try {
      await post(blocked ? "/customer/block" : "/customer/unblock", { user_ids: [customer.user_id] });
      outcome.succeeded(`${label(customer)} is ${blocked ? "blocked: requests made for it are refused" : "unblocked"}.`);
    } catch (err) {
      outcome.failed(`${blocked ? "block" : "unblock"} ${label(customer)}`, err);
    }
  };

  const columns: Column<CustomerRow>[] = [
    { label: "Customer", render: (c) => <NameCell alias={c.alias} id={c.user_id} /> },
    { label: "Spend", render: (c) => <SpendBar spend={c.spend} max={c.litellm_budget_table?.max_budget} /> },
    { label: "Limits", render: (c) => limits(c.litellm_budget_table ?? {}) },
    { label: "Region", render: (c) => c.allowed_model_region ?? <span class="muted">any</span> },
    { label: "Default model", render: (c) => c.default_model ?? <span class="muted">none</span> },
    { label: "State", render: (c) => (c.blocked ? <Badge tone="danger">blocked</Badge> : <Badge tone="ok">active</Badge>) },
    actionsColumn<CustomerRow>({
      mayChange,
      name: label,
      actions: (c) => [
        { label: "Edit", onClick: () => setDialog({ kind: "edit", customer: c }) },
        { label: c.blocked ? "Unblock" : "Block", onClick: () => setBlocked(c, !c.blocked) },
        { label: "Delete", danger: true, onClick: () => setDialog({ kind: "delete", customer: c }) },
      ],
    }),
  ];

  return (
    <section aria-labelledby="customers-title">
      <PageHead id="customers-title" title="Customers" action={mayChange && { label: "Create customer", onClick: () => setDialog({ kind: "create" }) }} />
      <div class="toolbar">
        <SearchBox label="Search by ID or alias" value={search} onSearch={(text) => go({ page: 1, search: text })} />
      </div>
      {outcome.notices}
      <AsyncView state={state} what="customers">
        {(customers) => {
          const found = matching(customers, search);
          const pages = Math.ceil(found.length / PAGE_SIZE);
          const shown = Math.min(page, Math.max(pages, 1));
          if (found.length === 0) {
            return (
              <Empty title={search ? `No customer's ID or alias contains “${search}”.` : "No customers yet."}>
                {!search && (
                  <p>
                    Customers are the end users of your own application, named by the “user” field of a request. Each can have a budget, rate limits and a region. They appear here when a request first
                    names one{mayChange ? ", or create one now" : ""}.
                  </p>
                )}
              </Empty>
            );
          }
          return (
            <>
              <Table caption="Customers" columns={columns} rows={found.slice((shown - 1) * PAGE_SIZE, shown * PAGE_SIZE)} rowKey={(c) => c.user_id} />
              <Pager page={shown} pages={pages} total={found.length} onPage={(p) => go({ page: p })} />
            </>
          );
        }}
      </AsyncView>

      {dialog?.kind === "create" && (
        <Modal title="Create customer" wide onClose={() => setDialog(null)}>
          <EntityForm
            fields={[CUSTOMER_ID_FIELD, ...customerFields(modelNames)]}
            submitLabel="Create customer"
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              const created = await post<CustomerRow>("/customer/new", body);
              outcome.succeeded(`${label(created)} is created.`);
            }}
          />
        </Modal>
      )}
      {dialog?.kind === "edit" && (
        <Modal title={`Edit ${label(dialog.customer)}`} wide onClose={() => setDialog(null)}>
          <EntityForm
            fields={customerFields(withCurrent(modelNames, dialog.customer.default_model))}
            initial={formValues(dialog.customer)}
            submitLabel="Save changes"
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              const saved = await post<CustomerRow>("/customer/update", { ...body, user_id: dialog.customer.user_id });
              outcome.succeeded(`${label(saved)} is saved.`);
            }}
          />
        </Modal>
      )}
      {dialog?.kind === "delete" && (
        <Confirm
          title={`Delete ${label(dialog.customer)}?`}
          action="Delete customer"
          danger
          onCancel={() => setDialog(null)}
          onDone={async () => {
            await post("/customer/delete", { user_ids: [dialog.customer.user_id] });
            outcome.succeeded(`${label(dialog.customer)} is deleted.`);
          }}
        >
          <p>Its budget, limits and blocked state are forgotten; a later request naming it starts it afresh. Its spend stays in the spend logs. This cannot be undone.</p>
        </Confirm>
      )}
    </section>
  );
}

function matching(customers: CustomerRow[], search: string): CustomerRow[] {
  const wanted = search.toLowerCase();
  if (!wanted) return customers;
  return customers.filter((c) => c.user_id.toLowerCase().includes(wanted) || (c.alias ?? "").toLowerCase().includes(wanted));
}

/** The budget fields are shown as the customer's own, from its linked budget row. */
function formValues(customer: CustomerRow): Body {
  const budget = customer.litellm_budget_table;
  return { ...customer, ...Object.fromEntries(BUDGET_FIELD_NAMES.map((name) => [name, budget?.[name] ?? null])) };
}

/** A default model no longer configured stays choosable, so editing other fields does not silently change it. */
function withCurrent(names: string[] | undefined, current: string | null): string[] | undefined {
  return names && current && !names.includes(current) ? [...names, current] : names;
}

const label = (customer: CustomerRow) => (customer.alias ? `“${customer.alias}”` : customer.user_id);
