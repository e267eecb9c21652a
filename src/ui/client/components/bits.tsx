/** Small pieces shared by the pages. */
import { useState } from "preact/hooks";
import { usd } from "./format.ts";

/** Spend against a budget: a bar when there is a budget, the amount alone when there is none. */
export function SpendBar({ spend, max }: { spend: number; max: number | null | undefined }) {
  if (max === null || max === undefined) return <span class="spend">{usd(spend)}</span>;
  const share = max > 0 ? Math.min(spend / max, 1) : 1;
  const level = share >= 1 ? "over" : share >= 0.8 ? "near" : "ok";
  return (
    <div class="spend-bar" title={`${usd(spend)} of ${usd(max)}`}>
      <span>
        {usd(spend)} / {usd(max)}
      </span>
      <meter class={level} min={0} max={1} low={0.8} high={0.99} optimum={0} value={share} aria-label={`${Math.round(share * 100)}% of budget spent`} />
    </div>
  );
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without the clipboard API (plain HTTP on another host), select the text for a manual copy.
      const field = document.querySelector<HTMLInputElement>("[data-copy-source]");
      field?.select();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button type="button" class="secondary" onClick={copy}>
      {copied ? "Copied" : label}
    </button>
  );
}

export function Badge({ tone, children }: { tone: "danger" | "warn" | "ok" | "muted"; children: string }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}

/** A row's name cell: its alias (or "no alias") over its id. */
export function NameCell({ alias, id }: { alias: string | null | undefined; id: string | null }) {
  return (
    <div class="stack">
      <strong>{alias ?? <span class="muted">no alias</span>}</strong>
      <code class="muted">{id}</code>
    </div>
  );
}
