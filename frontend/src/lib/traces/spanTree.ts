// The span tree and waterfall of a trace. The server sends spans in tree order (each after its
// parent, siblings by start) with their depth; here: which have children, which are hidden under a
// collapsed ancestor, and where each sits on the trace's timeline. Linear in the span count.

export interface TreeSpan {
  readonly id: string;
  readonly depth: number;
  readonly startedAt: string;
  readonly endedAt?: string | null;
}

export interface SpanRow<S extends TreeSpan> {
  readonly span: S;
  readonly hasChildren: boolean;
  /** Offset of the start from the trace's start, and the length, in % of the trace's duration. */
  readonly offset: number;
  readonly width: number;
}

export interface Timeline {
  /** Epoch ms of the earliest start. */
  readonly start: number;
  /** Milliseconds from the earliest start to the latest end (or start, while running); at least 1. */
  readonly duration: number;
}

export function timelineOf(spans: readonly TreeSpan[], now: number = Date.now()): Timeline {
  let start = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    const s = Date.parse(span.startedAt);
    const e = span.endedAt ? Date.parse(span.endedAt) : Math.max(s, Math.min(now, s + 1));
    if (s < start) start = s;
    if (e > end) end = e;
  }
  if (!Number.isFinite(start)) return { start: 0, duration: 1 };
  return { start, duration: Math.max(1, end - start) };
}

/**
 * The rows to show: every span but those below a collapsed one, each with whether it has children
 * (the next span in tree order is deeper) and its bar on the timeline.
 */
export function visibleRows<S extends TreeSpan>(
  spans: readonly S[],
  collapsed: ReadonlySet<string>,
  timeline: Timeline = timelineOf(spans),
): SpanRow<S>[] {
  const rows: SpanRow<S>[] = [];
  /** While set: skip spans deeper than this (they are below a collapsed span). */
  let hiddenBelow = Infinity;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (span.depth > hiddenBelow) continue;
    hiddenBelow = Infinity;
    const hasChildren = (spans[i + 1]?.depth ?? -1) > span.depth;
    if (hasChildren && collapsed.has(span.id)) hiddenBelow = span.depth;
    const s = Date.parse(span.startedAt);
    const e = span.endedAt ? Date.parse(span.endedAt) : timeline.start + timeline.duration;
    rows.push({
      span,
      hasChildren,
      offset: ((s - timeline.start) / timeline.duration) * 100,
      width: Math.max(0.3, ((e - s) / timeline.duration) * 100),
    });
  }
  return rows;
}
