/**
 * Models: the model groups the signed-in caller may call (/model_group/info) and the
 * deployments behind them (/model/info). Both routes list only what the caller may
 * call, and neither returns provider API keys (credential-like params are dropped,
 * credential headers redacted), so this page shows what it gets.
 */
import { get } from "../api.ts";
import { useAsync } from "../components/async.ts";
import { AsyncView, Empty } from "../components/feedback.tsx";
import { count, limits, list } from "../components/format.ts";
import { type Column, SearchBox, Table } from "../components/table.tsx";
import { href, navigate, type Route } from "../router.ts";
import { seesEverything, useSession } from "../session.ts";

/** One entry of /model_group/info. */
interface ModelGroup {
  model_group: string;
  providers: string[];
  max_input_tokens: number | null;
  max_output_tokens: number | null;
  input_cost_per_token: number | null;
  output_cost_per_token: number | null;
  mode: string;
  access_groups: string[];
  deployments: number;
}

/** One entry of /model/info: a deployment, its litellm_params without credentials. */
interface Deployment {
  model_name: string;
  litellm_params: {
    model: string;
    api_base?: string;
    api_version?: string;
    rpm?: number;
    tpm?: number;
    max_parallel_requests?: number;
    [param: string]: unknown;
  };
  model_info: {
    id: string;
    mode: string;
    litellm_provider: string;
    input_cost_per_token: number | null;
    output_cost_per_token: number | null;
    cache_read_input_token_cost?: number | null;
    max_input_tokens?: number | null;
    max_output_tokens?: number | null;
    max_tokens?: number | null;
    access_groups?: string[];
    [field: string]: unknown;
  };
}

interface Models {
  groups: ModelGroup[];
  deployments: Deployment[];
}

const PER_MILLION = 1_000_000;

export function ModelsPage({ route }: { route: Route }) {
  const session = useSession();
  const selected = route.rest[0];
  const search = route.params.get("search") ?? "";
  const state = useAsync(
    () =>
      Promise.all([get<{ data: ModelGroup[] }>("/model_group/info"), get<{ data: Deployment[] }>("/model/info")]).then(
        ([groups, deployments]): Models => ({ groups: groups.data, deployments: deployments.data }),
      ),
    [],
  );

  return (
    <section aria-labelledby="models-title">
      <div class="page-head">
        <h1 id="models-title">Models</h1>
      </div>
      <p class="hint">
        {seesEverything(session) ? "The model groups in tollgate's config" : "The model groups you may call"}, and the deployments that serve them. Prices are in USD per 1M
        tokens, what tollgate charges a call at: the deployment's own prices, else its price list's; “not set” means tollgate knows no price for the model, and its calls cost 0.
      </p>
      <AsyncView state={state} what="models">
        {(data) =>
          data.groups.length === 0 ? (
            <Empty title="No models to show.">
              <p>{seesEverything(session) ? "Add a model_list entry to tollgate's config to serve a model." : "Your key may not call any model. Ask an admin to give it access."}</p>
            </Empty>
          ) : (
            <>
              <div class="toolbar">
                <SearchBox label="Search by model name" value={search} onSearch={(text) => navigate(href("models", selected ? [selected] : [], { search: text }))} />
              </div>
              <GroupTable groups={filterGroups(data.groups, search)} deployments={data.deployments} selected={selected} search={search} />
              <DeploymentSection groups={data.groups} deployments={data.deployments} selected={selected} search={search} />
            </>
          )
        }
      </AsyncView>
    </section>
  );
}

function GroupTable({ groups, deployments, selected, search }: { groups: ModelGroup[]; deployments: Deployment[]; selected: string | undefined; search: string }) {
  if (groups.length === 0) return <Empty title={`No model name contains “${search}”.`} />;
  const of = (group: ModelGroup) => deployments.filter((d) => d.model_name === group.model_group);
  const columns: Column<ModelGroup>[] = [
    {
      label: "Model",
      render: (g) => (
        <a href={href("models", [g.model_group], { search })} aria-label={`${g.model_group}: show its deployments`} aria-current={g.model_group === selected ? "true" : undefined}>
          <strong>{g.model_group}</strong>
        </a>
      ),
    },
    { label: "Provider", render: (g) => list(g.providers, "—") },
    { label: "Mode", render: (g) => g.mode },
    { label: "Input / 1M", render: (g) => <Price values={pricesOf(of(g), "input_cost_per_token", g.input_cost_per_token)} />, numeric: true },
    { label: "Output / 1M", render: (g) => <Price values={pricesOf(of(g), "output_cost_per_token", g.output_cost_per_token)} />, numeric: true },
    { label: "Cached input / 1M", render: (g) => <Price values={pricesOf(of(g), "cache_read_input_token_cost", null)} unset={CACHED_UNSET} />, numeric: true },
    { label: "Context window", render: (g) => contextWindow(g.max_input_tokens, g.max_output_tokens) },
    { label: "Access groups", render: (g) => list(g.access_groups, "none") },
    { label: "Deployments", render: (g) => (g.deployments > 0 ? count(g.deployments) : <span class="muted">none listed</span>), numeric: true },
  ];
  return <Table caption="Model groups" columns={columns} rows={groups} rowKey={(g) => g.model_group} />;
}

function DeploymentSection({ groups, deployments, selected, search }: { groups: ModelGroup[]; deployments: Deployment[]; selected: string | undefined; search: string }) {
  const needle = search.toLowerCase();
  const shown = selected === undefined ? deployments.filter((d) => d.model_name.toLowerCase().includes(needle)) : deployments.filter((d) => d.model_name === selected);
  const group = groups.find((g) => g.model_group === selected);
  return (
    <section class="panel deployments" aria-labelledby="deployments-title">
      <div class="page-head">
        <h2 id="deployments-title">{selected === undefined ? "Deployments" : `Deployments of ${selected}`}</h2>
        {selected !== undefined && <a href={href("models", [], { search })}>Show all deployments</a>}
      </div>
      {shown.length === 0 ? (
        <Empty title={selected === undefined ? (search ? `No deployment's model name contains “${search}”.` : "No deployments listed.") : `No deployments listed for ${selected}.`}>
          {group && <p>It may be an alias of another model group, or a name a wildcard deployment serves.</p>}
          {selected !== undefined && !group && <p>There is no model group called {selected}, or you may not call it.</p>}
        </Empty>
      ) : (
        <DeploymentTable deployments={shown} showGroup={selected === undefined} />
      )}
    </section>
  );
}

function DeploymentTable({ deployments, showGroup }: { deployments: Deployment[]; showGroup: boolean }) {
  const columns: Column<Deployment>[] = [
    ...(showGroup ? [{ label: "Model", render: (d: Deployment) => <a href={href("models", [d.model_name])}>{d.model_name}</a> }] : []),
    {
      label: "Upstream model",
      render: (d) => (
        <div class="stack">
          <code>{d.litellm_params.model}</code>
          <span class="muted">{d.model_info.litellm_provider}</span>
          <code class="muted" title={`Deployment id ${d.model_info.id}`}>
            id {d.model_info.id.length > 12 ? `${d.model_info.id.slice(0, 12)}…` : d.model_info.id}
          </code>
        </div>
      ),
    },
    {
      label: "API base",
      render: (d) => (
        <div class="stack">
          {d.litellm_params.api_base ? <code class="wrap">{d.litellm_params.api_base}</code> : <span class="muted">provider default</span>}
          {d.litellm_params.api_version && <span class="muted">version {d.litellm_params.api_version}</span>}
        </div>
      ),
    },
    {
      label: "Price / 1M tokens",
      render: (d) => (
        <dl class="prices">
          <dt>Input</dt>
          <dd>
            <Price values={[d.model_info.input_cost_per_token]} />
          </dd>
          <dt>Output</dt>
          <dd>
            <Price values={[d.model_info.output_cost_per_token]} />
          </dd>
          <dt>Cached input</dt>
          <dd>
            <Price values={[d.model_info.cache_read_input_token_cost ?? null]} unset={CACHED_UNSET} />
          </dd>
        </dl>
      ),
    },
    { label: "Context window", render: (d) => contextWindow(d.model_info.max_input_tokens ?? d.model_info.max_tokens ?? null, d.model_info.max_output_tokens ?? null) },
    { label: "Limits", render: (d) => deploymentLimits(d.litellm_params) },
    { label: "Access groups", render: (d) => list(d.model_info.access_groups, "none") },
  ];
  return <Table caption="Deployments" columns={columns} rows={deployments} rowKey={(d) => d.model_info.id} />;
}

/** Without a cached-token price, cached prompt tokens are charged as any prompt token. */
const CACHED_UNSET = "as input";

/** A price per 1M tokens; a range when the deployments of a group differ. */
function Price({ values, unset = "not set" }: { values: (number | null | undefined)[]; unset?: string }) {
  const set = values.filter((v): v is number => typeof v === "number");
  if (set.length === 0) return <span class="muted">{unset}</span>;
  const low = Math.min(...set);
  const high = Math.max(...set);
  const partly = set.length < values.length ? ` (some ${unset})` : "";
  return <span>{low === high ? `${perMillion(low)}${partly}` : `${perMillion(low)} – ${perMillion(high)}${partly}`}</span>;
}

/** The price of each deployment of a group; the group's own figure when none is listed (an alias). */
function pricesOf(deployments: Deployment[], field: "input_cost_per_token" | "output_cost_per_token" | "cache_read_input_token_cost", groupValue: number | null): (number | null)[] {
  return deployments.length > 0 ? deployments.map((d) => d.model_info[field] ?? null) : [groupValue];
}

/** $2.50, or $0.075 for the sub-cent prices of small models. */
function perMillion(costPerToken: number): string {
  const price = costPerToken * PER_MILLION;
  return `$${price.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: price < 1 ? 4 : 2 })}`;
}

function contextWindow(input: number | null, output: number | null): string {
  if (input === null && output === null) return "not set";
  const parts = [input !== null ? `${count(input)} in` : null, output !== null ? `${count(output)} out` : null];
  return parts.filter(Boolean).join(" · ");
}

/** A deployment's rpm/tpm are named as a key's limits are on the other pages. */
const deploymentLimits = (params: Deployment["litellm_params"]) => limits({ rpm_limit: params.rpm, tpm_limit: params.tpm, max_parallel_requests: params.max_parallel_requests });

function filterGroups(groups: ModelGroup[], search: string): ModelGroup[] {
  const needle = search.toLowerCase();
  return needle ? groups.filter((g) => g.model_group.toLowerCase().includes(needle)) : groups;
}
