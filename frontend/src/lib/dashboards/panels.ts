// The dashboard's figures from one `Dashboard` answer: the six charts (their lines and legends),
// the headline cards with their change against the previous period. Pure.
import type { ChartLine } from '../charts/Chart.svelte';
import { formatCount, formatDuration, type Unit } from '../charts/format';
import { PREVIOUS, seriesColor } from '../charts/palette';
import {
  align,
  bucketStarts,
  latency,
  METRICS,
  timeToFirstToken,
  toSeconds,
  type Measures,
  type Metric,
  type SeriesInput,
} from '../charts/series';
import { sumMarks, sumNote, tokenMarks, type SumMarks } from '../format';
import type { DashboardQuery } from '../graphql/generated';
import { BUCKET_MS, type DashboardWindow, type Percentile } from './dashboardState';

export type PanelId = 'requests' | 'errors' | 'tokens' | 'cost' | 'latency' | 'ttft';

/** A line of a chart with the figure its legend shows for the whole window. */
export interface PanelLine extends ChartLine {
  /** Over the whole window; null when nothing was measured. */
  readonly summary: number | null;
}

export interface Panel {
  readonly id: PanelId;
  readonly title: string;
  readonly unit: Unit;
  /** What the legend's figures are: "total", "p95 over the window"… */
  readonly summaryLabel: string;
  readonly lines: readonly PanelLine[];
  /** Said instead of an empty chart when no bucket of any line has a value. */
  readonly whenEmpty?: string;
}

/** A group's key as people read it. */
export function groupLabel(key: string): string {
  return key === '' ? '(none)' : key;
}

const PERCENTILES: readonly Percentile[] = ['p50', 'p95', 'p99'];
const PERCENTILE_COLORS: Readonly<Record<Percentile, string>> = {
  p50: seriesColor(1),
  p95: seriesColor(2),
  p99: seriesColor(4),
};

interface Definition {
  readonly id: PanelId;
  readonly title: string;
  readonly unit: Unit;
  /** One line per group (and the window's figure for its legend). */
  readonly metric: (percentile: Percentile) => Metric;
  readonly summary: (m: Measures, percentile: Percentile) => number | null;
  /** Ungrouped: several lines of one series (input/output tokens, percentiles), else one. */
  readonly split?: readonly {
    label: string;
    color: string;
    metric: Metric;
    summary: (m: Measures) => number | null;
  }[];
  /** Whether the ungrouped chart draws the previous period too. */
  readonly previous: boolean;
  readonly whenEmpty?: string;
}

const percentileSplit = (of: (p: Percentile) => Metric, pick: (m: Measures) => Measures['latencyMs']) =>
  PERCENTILES.map((p) => ({
    label: p,
    color: PERCENTILE_COLORS[p],
    metric: of(p),
    summary: (m: Measures) => pick(m)?.[p] ?? null,
  }));

const DEFINITIONS: readonly Definition[] = [
  {
    id: 'requests',
    title: 'Requests',
    unit: 'count',
    metric: () => METRICS.requests,
    summary: (m) => m.requests,
    previous: true,
  },
  {
    id: 'errors',
    title: 'Error rate',
    unit: 'percent',
    metric: () => METRICS.errorRate,
    summary: (m) => (m.requests > 0 ? m.errorRate * 100 : null),
    previous: true,
  },
  {
    id: 'tokens',
    title: 'Tokens',
    unit: 'count',
    metric: () => METRICS.tokens,
    summary: (m) => m.inputTokens + m.outputTokens,
    split: [
      { label: 'Input', color: seriesColor(0), metric: METRICS.inputTokens, summary: (m) => m.inputTokens },
      {
        label: 'Output',
        color: seriesColor(3),
        metric: METRICS.outputTokens,
        summary: (m) => m.outputTokens,
      },
    ],
    previous: false,
  },
  {
    id: 'cost',
    title: 'Cost',
    unit: 'usd',
    metric: () => METRICS.cost,
    summary: (m) => Number(m.cost),
    previous: true,
  },
  {
    id: 'latency',
    title: 'Latency',
    unit: 'ms',
    metric: latency,
    summary: (m, p) => m.latencyMs?.[p] ?? null,
    split: percentileSplit(latency, (m) => m.latencyMs),
    previous: false,
  },
  {
    id: 'ttft',
    title: 'Time to first token',
    unit: 'ms',
    metric: timeToFirstToken,
    summary: (m, p) => m.timeToFirstTokenMs?.[p] ?? null,
    split: percentileSplit(timeToFirstToken, (m) => m.timeToFirstTokenMs),
    previous: false,
    whenEmpty: 'No streamed calls in this range: time to first token is measured on streamed answers.',
  },
];

export interface Panels {
  /** Bucket starts in seconds (the charts' x). */
  readonly x: number[];
  readonly panels: Panel[];
}

/**
 * The charts of an answer. Ungrouped: one series (requests, error rate and cost beside the previous
 * period's dashed line; tokens as input and output; latencies as p50/p95/p99). Grouped: a line per
 * group of the answer's series, latencies at `percentile`; legends from the grouped comparison.
 */
export function buildPanels(
  data: DashboardQuery,
  window: DashboardWindow,
  grouped: boolean,
  percentile: Percentile,
): Panels {
  const starts = bucketStarts(window.from, window.to, BUCKET_MS[window.bucket]);
  const total = data.total[0];
  const panels = DEFINITIONS.map((d): Panel => {
    if (grouped) {
      const byKey = new Map(data.breakdown.map((row) => [row.key, row.current]));
      return {
        id: d.id,
        title: d.title,
        unit: d.unit,
        summaryLabel: d.split && d.id !== 'tokens' ? `${percentile} over the range` : 'over the range',
        whenEmpty: d.whenEmpty,
        lines: data.series.series.map((series, i) => {
          const measures = byKey.get(series.key);
          return {
            label: groupLabel(series.key),
            color: seriesColor(i),
            values: align(starts, series, d.metric(percentile)),
            summary: measures ? d.summary(measures, percentile) : null,
          };
        }),
      };
    }
    const series: SeriesInput | undefined = data.series.series[0];
    const lines: PanelLine[] = d.split
      ? d.split.map((s) => ({
          label: s.label,
          color: s.color,
          values: align(starts, series, s.metric),
          summary: total ? s.summary(total.current) : null,
        }))
      : [
          {
            label: d.title,
            color: seriesColor(0),
            fill: true,
            values: align(starts, series, d.metric(percentile)),
            summary: total ? d.summary(total.current, percentile) : null,
          },
        ];
    if (d.previous) {
      lines.push({
        label: 'Previous period',
        color: PREVIOUS,
        dashed: true,
        values: align(starts, data.previous?.series[0], d.metric(percentile), window.to - window.from),
        summary: total ? d.summary(total.baseline, percentile) : null,
      });
    }
    return {
      id: d.id,
      title: d.title,
      unit: d.unit,
      summaryLabel: 'over the range',
      lines,
      whenEmpty: d.whenEmpty,
    };
  });
  return { x: toSeconds(starts), panels };
}

export type StatId = 'requests' | 'errorRate' | 'tokens' | 'cost' | 'latency' | 'ttft';

/** A headline figure of the window beside the previous period's. */
export interface Stat {
  readonly id: StatId;
  readonly label: string;
  readonly unit: Unit;
  readonly current: number | null;
  readonly baseline: number | null;
  /** A rise is bad news (errors, cost, latency) rather than neutral. */
  readonly higherIsWorse: boolean;
  /** A second line: "12 errors", "9.1K in · 2.3K out". */
  readonly detail?: string;
  /** A sum that may leave out unpriced generations or rest on estimated token counts. */
  readonly marks?: SumMarks;
  /** What it leaves out or estimates (a tooltip). */
  readonly note?: string;
}

const STATS: readonly {
  id: StatId;
  label: string;
  unit: Unit;
  higherIsWorse: boolean;
  value: (m: Measures) => number | null;
  detail?: (m: Measures) => string | undefined;
  marks?: (m: Measures) => SumMarks;
  note?: (m: Measures) => string;
}[] = [
  { id: 'requests', label: 'Requests', unit: 'count', higherIsWorse: false, value: (m) => m.requests },
  {
    id: 'errorRate',
    label: 'Error rate',
    unit: 'percent',
    higherIsWorse: true,
    value: (m) => (m.requests > 0 ? m.errorRate * 100 : null),
    detail: (m) => `${formatCount(m.errors)} error${m.errors === 1 ? '' : 's'}`,
  },
  {
    id: 'tokens',
    label: 'Tokens',
    unit: 'count',
    higherIsWorse: false,
    value: (m) => m.inputTokens + m.outputTokens,
    detail: (m) => `${formatCount(m.inputTokens)} in · ${formatCount(m.outputTokens)} out`,
    marks: (m) => tokenMarks(m.estimatedCount),
    note: (m) => sumNote(0, m.estimatedCount),
  },
  {
    id: 'cost',
    label: 'Cost',
    unit: 'usd',
    higherIsWorse: true,
    value: (m) => Number(m.cost),
    detail: (m) => (m.unpricedCount > 0 ? `${formatCount(m.unpricedCount)} unpriced left out` : undefined),
    marks: (m) => sumMarks(m.cost, m.unpricedCount, m.estimatedCount),
    note: (m) => sumNote(m.unpricedCount, m.estimatedCount),
  },
  {
    id: 'latency',
    label: 'Latency p95',
    unit: 'ms',
    higherIsWorse: true,
    value: (m) => m.latencyMs?.p95 ?? null,
    detail: (m) => (m.latencyMs ? `p50 ${formatDuration(m.latencyMs.p50)}` : undefined),
  },
  {
    id: 'ttft',
    label: 'Time to first token p95',
    unit: 'ms',
    higherIsWorse: true,
    value: (m) => m.timeToFirstTokenMs?.p95 ?? null,
    detail: (m) =>
      m.timeToFirstTokenMs ? `p50 ${formatDuration(m.timeToFirstTokenMs.p50)}` : 'no streamed calls',
  },
];

/** The headline cards of the window's totals (the answer's `total`) beside the previous period's. */
export function buildStats(total: { current: Measures; baseline: Measures } | undefined): Stat[] {
  return STATS.map((s) => ({
    id: s.id,
    label: s.label,
    unit: s.unit,
    higherIsWorse: s.higherIsWorse,
    current: total ? s.value(total.current) : null,
    baseline: total ? s.value(total.baseline) : null,
    detail: total ? s.detail?.(total.current) : undefined,
    marks: total ? s.marks?.(total.current) : undefined,
    note: total ? s.note?.(total.current) : undefined,
  }));
}
