import type { ComponentChildren, Ref } from 'preact';
import { useId, useState } from 'preact/hooks';
import { useWidth } from '../hooks/use-width.js';
import { useT } from '../i18n/use-t.js';

/**
 * Charts as inline SVG, drawn at the real width of their container so that their text is as large as
 * the page's. Each is an image with a spoken summary, and the same figures are one click away as a
 * table (a screen reader, or anyone who prefers numbers, reads that instead).
 */

export interface TableColumn<Row> {
  label: string;
  value(row: Row): ComponentChildren;
  numeric?: boolean;
}

/** The figures behind a chart, as a table; rendered only once opened, as a long trend makes many rows. */
export function ChartData<Row>({ caption, columns, rows }: { caption: string; columns: TableColumn<Row>[]; rows: Row[] }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <details class="chart-data" onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('charts.showTable')}</summary>
      {open && (
        <div class="table-scroll">
          <table class="plain-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.label} scope="col" class={column.numeric ? 'numeric' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {columns.map((column, c) =>
                    c === 0 ? (
                      <th key={column.label} scope="row">
                        {column.value(row)}
                      </th>
                    ) : (
                      <td key={column.label} class={column.numeric ? 'numeric' : undefined}>
                        {column.value(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

export interface Bar {
  key: string;
  label: string;
  /** 0..max */
  value: number;
  /** Shown at the end of the bar, e.g. "75%". */
  valueText: string;
  /** Indent of the label, e.g. a unit's depth below the top unit. */
  level?: number;
}

interface BarChartProps {
  title: string;
  /** Spoken with the title: what the bars mean and the key facts. */
  summary: string;
  bars: Bar[];
  max: number;
  /** The table's column headings. */
  labelHeading: string;
  valueHeading: string;
}

const ROW = 72;
const BAR = 28;
const LABEL_GAP = 34;

/** The frame every chart shares: caption, an SVG that speaks its title and summary, and its data as a table. */
function ChartFrame({
  title,
  summary,
  kind,
  width,
  height,
  canvasRef,
  table,
  children,
}: {
  title: string;
  summary: string;
  kind: string;
  width: number;
  height: number;
  canvasRef: Ref<HTMLDivElement>;
  table: ComponentChildren;
  children: ComponentChildren;
}) {
  const titleId = useId();
  const descId = useId();
  return (
    <figure class="chart">
      <figcaption class="chart__title">{title}</figcaption>
      <div ref={canvasRef} class="chart__canvas">
        <svg
          class={`chart__svg ${kind}`}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
        >
          <title id={titleId}>{title}</title>
          <desc id={descId}>{summary}</desc>
          {children}
        </svg>
      </div>
      {table}
    </figure>
  );
}

/** Horizontal bars, one row per item with its label above the bar: long names fit on any phone. */
export function BarChart({ title, summary, bars, max, labelHeading, valueHeading }: BarChartProps) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const valueRoom = 88;
  const plot = Math.max(80, width - valueRoom);
  const height = Math.max(ROW, bars.length * ROW);
  const scale = (value: number) => (max > 0 ? (Math.max(0, Math.min(max, value)) / max) * plot : 0);
  return (
    <ChartFrame
      title={title}
      summary={summary}
      kind="bar-chart"
      width={width}
      height={height}
      canvasRef={ref}
      table={
        <ChartData
          caption={title}
          rows={bars}
          columns={[
            { label: labelHeading, value: (bar) => bar.label },
            { label: valueHeading, value: (bar) => bar.valueText, numeric: true },
          ]}
        />
      }
    >
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <line key={f} class="chart__grid" x1={f * plot + 1} x2={f * plot + 1} y1={0} y2={height} />
      ))}
      {bars.map((bar, i) => {
        const y = i * ROW;
        const w = scale(bar.value);
        const indent = (bar.level ?? 0) * 14;
        return (
          <g key={bar.key} class="bar-chart__row">
            <text class="chart__label" x={indent + 2} y={y + 24}>
              {bar.label}
            </text>
            <rect class="bar-chart__track" x={1} y={y + LABEL_GAP} width={plot} height={BAR} rx={4} />
            <rect class="bar-chart__bar" x={1} y={y + LABEL_GAP} width={Math.max(w, bar.value > 0 ? 3 : 0)} height={BAR} rx={4}>
              <title>{`${bar.label}: ${bar.valueText}`}</title>
            </rect>
            <text class="chart__value" x={plot + 10} y={y + LABEL_GAP + BAR - 7}>
              {bar.valueText}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

export interface Point {
  key: string;
  /** Label on the x axis and in the table, e.g. a date. */
  label: string;
  value: number;
  valueText: string;
}

interface LineChartProps {
  title: string;
  summary: string;
  points: Point[];
  /** Top of the y axis; at least the largest value. */
  max?: number;
  formatTick(value: number): string;
  labelHeading: string;
  valueHeading: string;
  /** Extra table columns (e.g. members studying that day). */
  extraColumns?: TableColumn<Point>[];
}

/** A line over evenly spaced points (days, positions), with dots where there is something to see. */
export function LineChart({ title, summary, points, max, formatTick, labelHeading, valueHeading, extraColumns = [] }: LineChartProps) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const height = 240;
  const left = 56;
  const right = 14;
  const top = 14;
  const bottom = 44;
  const plotW = Math.max(60, width - left - right);
  const plotH = height - top - bottom;
  const largest = Math.max(0, ...points.map((p) => p.value));
  const top_ = niceMax(Math.max(max ?? 0, largest));
  const x = (i: number) => left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number) => top + plotH - (top_ > 0 ? (Math.max(0, v) / top_) * plotH : 0);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  // Every point when they are few; otherwise only those above zero, so a long quiet period is not a row of beads.
  const dots = points.length <= 62 ? points.map((p, i) => ({ p, i })) : points.map((p, i) => ({ p, i })).filter(({ p }) => p.value > 0);
  // Room for the longest label (about 0.6 em a character at the tick's 16 px) and a gap.
  const labelRoom = Math.max(84, Math.ceil(Math.max(0, ...points.map((p) => p.label.length)) * 9.6) + 16);
  const labelEvery = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor(plotW / labelRoom))));
  const xLabels = points.map((p, i) => ({ p, i })).filter(({ i }) => i % labelEvery === 0 || i === points.length - 1);
  // The first label is left-aligned and the last right-aligned, so each reaches a whole label towards its
  // neighbour: drop the neighbour when they would touch.
  const gap = (a: number, b: number) => x(xLabels[b]!.i) - x(xLabels[a]!.i);
  if (xLabels.length >= 3 && gap(0, 1) < labelRoom * 1.5) xLabels.splice(1, 1);
  if (xLabels.length >= 2 && gap(xLabels.length - 2, xLabels.length - 1) < labelRoom * 1.5) xLabels.splice(-2, 1);
  // The middle line only when its label differs from both ends' (counts up to 1 would print "1" twice).
  const ticks = [0, top_ / 2, top_].filter(
    (tick, i) => i !== 1 || (formatTick(tick) !== formatTick(0) && formatTick(tick) !== formatTick(top_)),
  );
  return (
    <ChartFrame
      title={title}
      summary={summary}
      kind="line-chart"
      width={width}
      height={height}
      canvasRef={ref}
      table={
        <ChartData
          caption={title}
          rows={points}
          columns={[
            { label: labelHeading, value: (p) => p.label },
            { label: valueHeading, value: (p) => p.valueText, numeric: true },
            ...extraColumns,
          ]}
        />
      }
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line class="chart__grid" x1={left} x2={left + plotW} y1={y(tick)} y2={y(tick)} />
          <text class="chart__tick" x={left - 8} y={y(tick) + 6} text-anchor="end">
            {formatTick(tick)}
          </text>
        </g>
      ))}
      <line class="chart__axis" x1={left} x2={left + plotW} y1={top + plotH} y2={top + plotH} />
      {xLabels.map(({ p, i }) => (
        <text
          key={p.key}
          class="chart__tick"
          x={x(i)}
          y={height - 14}
          text-anchor={i === 0 && points.length > 1 ? 'start' : i === points.length - 1 && points.length > 1 ? 'end' : 'middle'}
        >
          {p.label}
        </text>
      ))}
      {points.length > 1 && <path class="line-chart__line" d={line} />}
      {dots.map(({ p, i }) => (
        <circle key={p.key} class="line-chart__point" cx={x(i)} cy={y(p.value)} r={points.length > 120 ? 3.5 : 5}>
          <title>{`${p.label}: ${p.valueText}`}</title>
        </circle>
      ))}
    </ChartFrame>
  );
}

/** A round number at or above `value` for the top of an axis: 1, 2, 5, 10, 20, 50 … */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
