/**
 * Bar charts in plain SVG, drawn at the container's real pixel width so the text stays
 * readable on a phone. Vertical bars for a time series (one bar per day), horizontal
 * bars for a ranking (per model, key, team). Screen readers get a one-sentence summary;
 * everyone can open the numbers as a table.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { type Column, Table } from "./table.tsx";

export interface Bar {
  /** Short text drawn on the chart, e.g. "Nov 27" or "gpt-4o". */
  label: string;
  value: number;
  /** Longer text for the tooltip and the table, e.g. "2026-11-27"; the label when absent. */
  detail?: string;
}

export interface BarChartProps {
  /** What the chart shows, e.g. "Spend per model": the start of the summary and the table's caption. */
  title: string;
  bars: readonly Bar[];
  /** How a value reads, e.g. usd. */
  format: (value: number) => string;
  /** "vertical" for a time series (bars in the given order), "horizontal" for a ranking. */
  orientation: "vertical" | "horizontal";
  /** Column headings of the table: what a bar is and what its value is. */
  nameHeading: string;
  valueHeading: string;
  /** Horizontal charts draw this many bars at most (the table lists all). */
  limit?: number;
}

/** Roughly how wide a character of the chart's 11–12 px text is, to fit labels without measuring. */
const CHAR_WIDTH = 6.6;

export function BarChart({ title, bars, format, orientation, nameHeading, valueHeading, limit = 10 }: BarChartProps) {
  const [box, width] = useWidth();
  const shown = orientation === "horizontal" ? bars.slice(0, limit) : bars;
  const hidden = bars.length - shown.length;
  return (
    <figure class="chart-figure">
      <div ref={box} class="chart-box">
        {width > 0 &&
          (orientation === "vertical" ? (
            <VerticalBars bars={shown} width={width} format={format} summary={summarize(title, bars, format)} />
          ) : (
            <HorizontalBars bars={shown} width={width} format={format} summary={summarize(title, bars, format)} />
          ))}
      </div>
      {hidden > 0 && (
        <p class="chart-note">
          Showing the top {shown.length} of {bars.length}; the table lists all.
        </p>
      )}
      <details class="chart-data">
        <summary>Show as a table</summary>
        <DataTable title={title} bars={bars} format={format} nameHeading={nameHeading} valueHeading={valueHeading} />
      </details>
    </figure>
  );
}

function VerticalBars({ bars, width, format, summary }: { bars: readonly Bar[]; width: number; format: (value: number) => string; summary: string }) {
  const ticks = niceTicks(Math.max(0, ...bars.map((b) => b.value)));
  const top = ticks[ticks.length - 1]!;
  const left = Math.max(...ticks.map((t) => format(t).length)) * CHAR_WIDTH + 10;
  const plot = { x: left, y: 18, width: Math.max(width - left - 4, 10), height: 180 };
  const height = plot.y + plot.height + 24;
  const slot = plot.width / Math.max(bars.length, 1);
  const barWidth = Math.min(Math.max(slot * 0.72, 1), 56);
  const y = (value: number) => plot.y + plot.height - (top > 0 ? (value / top) * plot.height : 0);
  const labelEvery = Math.ceil(bars.length / Math.max(Math.floor(plot.width / 52), 1));
  const valuesFit = bars.every((b) => format(b.value).length * CHAR_WIDTH + 4 <= slot);

  return (
    <svg class="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
      {ticks.map((tick) => (
        <g key={tick}>
          <line class={tick === 0 ? "axis" : "grid"} x1={plot.x} x2={plot.x + plot.width} y1={y(tick)} y2={y(tick)} />
          <text x={plot.x - 6} y={y(tick) + 4} text-anchor="end">
            {format(tick)}
          </text>
        </g>
      ))}
      {bars.map((bar, index) => {
        const x = plot.x + index * slot + (slot - barWidth) / 2;
        const barTop = y(bar.value);
        return (
          <g key={`${index}-${bar.label}`}>
            <rect class="bar" x={x} y={barTop} width={barWidth} height={Math.max(plot.y + plot.height - barTop, bar.value > 0 ? 1 : 0)}>
              <title>{`${bar.detail ?? bar.label}: ${format(bar.value)}`}</title>
            </rect>
            {valuesFit && bar.value > 0 && (
              <text class="value" x={x + barWidth / 2} y={barTop - 4} text-anchor="middle">
                {format(bar.value)}
              </text>
            )}
            {index % labelEvery === 0 && (
              <text x={x + barWidth / 2} y={plot.y + plot.height + 16} text-anchor="middle">
                {bar.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** One row per bar: the name and the value on a line, the bar under them, so long names fit at 390 px. */
function HorizontalBars({ bars, width, format, summary }: { bars: readonly Bar[]; width: number; format: (value: number) => string; summary: string }) {
  const rowHeight = 40;
  const height = bars.length * rowHeight + 4;
  const max = Math.max(0, ...bars.map((b) => b.value));
  return (
    <svg class="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
      <line class="axis" x1={0.5} x2={0.5} y1={18} y2={height} />
      {bars.map((bar, index) => {
        const top = index * rowHeight;
        const value = format(bar.value);
        const room = Math.floor((width - (value.length + 2) * CHAR_WIDTH) / CHAR_WIDTH);
        const barWidth = max > 0 ? (bar.value / max) * (width - 1) : 0;
        return (
          <g key={`${index}-${bar.label}`}>
            <title>{`${bar.detail ?? bar.label}: ${value}`}</title>
            <text class="name" x={0} y={top + 13}>
              {truncate(bar.label, room)}
            </text>
            <text class="value" x={width} y={top + 13} text-anchor="end">
              {value}
            </text>
            <rect class="bar" x={1} y={top + 18} width={bar.value > 0 ? Math.max(barWidth, 2) : 0} height={14} rx={2} />
          </g>
        );
      })}
    </svg>
  );
}

function DataTable({ title, bars, format, nameHeading, valueHeading }: { title: string; bars: readonly Bar[]; format: (value: number) => string; nameHeading: string; valueHeading: string }) {
  const rows = bars.map((bar, index) => ({ ...bar, index }));
  const columns: Column<(typeof rows)[number]>[] = [
    { label: nameHeading, render: (b) => b.detail ?? b.label },
    { label: valueHeading, render: (b) => format(b.value), numeric: true },
  ];
  return <Table caption={`${title} (table)`} columns={columns} rows={rows} rowKey={(b) => `${b.index}`} />;
}

/** "Spend per model: 3 bars, total $12.00; highest gpt-4o at $9.00." */
export function summarize(title: string, bars: readonly Bar[], format: (value: number) => string): string {
  if (bars.length === 0) return `${title}: no data.`;
  const total = bars.reduce((sum, b) => sum + b.value, 0);
  const highest = bars.reduce((best, b) => (b.value > best.value ? b : best), bars[0]!);
  const count = `${bars.length} ${bars.length === 1 ? "bar" : "bars"}`;
  return `${title}: ${count}, total ${format(total)}; highest ${highest.detail ?? highest.label} at ${format(highest.value)}.`;
}

/** 0 and three or four round steps up to at least `max`, e.g. 0, 2, 4, 6, 8 for 7.3. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step / 2 && ticks.length < 8; tick += step) ticks.push(Number(tick.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function truncate(text: string, chars: number): string {
  if (text.length <= chars) return text;
  return chars <= 1 ? "…" : `${text.slice(0, chars - 1)}…`;
}

/** The element's content width in pixels, kept current as it resizes; 0 until measured. */
function useWidth() {
  const element = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const target = element.current;
    if (!target) return;
    const measure = () => setWidth(Math.floor(target.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(target);
    return () => observer.disconnect();
  }, []);
  return [element, width] as const;
}
