/** What every span of a trace carries: its end user and its session (trace-level attributes). */
export interface TraceAttributes {
  readonly userId?: string;
  readonly sessionId?: string;
}

/** A span as far as its trace's attributes go. */
export interface AttributedSpan extends TraceAttributes {
  readonly traceId: string;
  readonly parentSpanId?: string;
}

/** A trace's attributes, and for each whether a root span stated it (a root's value wins). */
interface Known extends TraceAttributes {
  readonly userFromRoot?: boolean;
  readonly sessionFromRoot?: boolean;
}

const FIELDS = [
  ['userId', 'userFromRoot'],
  ['sessionId', 'sessionFromRoot'],
] as const;

/**
 * `known` with what `span` states: per field, a root's value replaces any but another root's; a
 * child's value only fills a gap (an explicit user on one generation is not its trace's).
 */
function learn(known: Known, span: AttributedSpan): Known {
  const root = !span.parentSpanId;
  let next = known;
  for (const [field, fromRoot] of FIELDS) {
    const value = span[field];
    if (value && (!known[field] || (root && !known[fromRoot])))
      next = { ...next, [field]: value, [fromRoot]: root };
  }
  return next;
}

const traceKey = (projectId: string, traceId: string) => `${projectId}\0${traceId}`;

/** The recent traces an instance keeps the attributes of (LRU): ~150 bytes each. */
export const RECENT_TRACES = 50_000;

/**
 * The end user and session of the traces recently reported to this instance, so a span sent in a
 * later batch than its trace's root (the README layout: user and session on the root only) still
 * carries them. Bounded (least recently used goes first) and per instance: a span whose trace was
 * reported to another instance, or long ago, or only after it, keeps what it states itself.
 */
export class RecentTraceAttributes {
  private readonly traces = new Map<string, Known>();

  constructor(private readonly capacity = RECENT_TRACES) {}

  recall(projectId: string, traceId: string): Known | undefined {
    const key = traceKey(projectId, traceId);
    const found = this.traces.get(key);
    if (found) {
      this.traces.delete(key);
      this.traces.set(key, found);
    }
    return found;
  }

  /** Keeps what is known of a trace (as {@link traceAttributesOf} completed it). */
  remember(projectId: string, traceId: string, known: Known): void {
    if (!known.userId && !known.sessionId) return;
    const key = traceKey(projectId, traceId);
    this.traces.delete(key);
    this.traces.set(key, known);
    if (this.traces.size > this.capacity) this.traces.delete(this.traces.keys().next().value!);
  }
}

/**
 * The attributes of a batch's traces: what this instance remembers of each, then what the batch's
 * spans state in order (see {@link learn}); remembered in turn. The function answers what a span
 * carries: its own values first, then its trace's.
 */
export function traceAttributesOf(
  projectId: string,
  spans: readonly AttributedSpan[],
  recent: RecentTraceAttributes,
): (span: AttributedSpan) => TraceAttributes {
  const known = new Map<string, Known>();
  for (const span of spans) {
    const before = known.get(span.traceId) ?? recent.recall(projectId, span.traceId) ?? {};
    known.set(span.traceId, learn(before, span));
  }
  for (const [traceId, attrs] of known) recent.remember(projectId, traceId, attrs);
  return (span) => {
    const trace = known.get(span.traceId);
    const userId = span.userId ?? trace?.userId;
    const sessionId = span.sessionId ?? trace?.sessionId;
    return { ...(userId ? { userId } : {}), ...(sessionId ? { sessionId } : {}) };
  };
}
