import { Inject, Injectable } from '@nestjs/common';
import {
  EventValidationError,
  MAX_INGEST_ITEM_BYTES,
  validateNewEvent,
  type SightlineEvent,
} from '@sightline/schemas';
import { costData, Pricing } from '../costs/pricing';
import { EventRecorder } from '../eventlog/event-recorder';
import { RecentTraceAttributes, traceAttributesOf } from '../ingest/trace-attributes';
import { mapSpan, SpanRejected, type MappedSpan } from './genai-span';
import { eventsOf, type PriceGeneration } from './otlp-events';
import { spansOf } from './otlp-spans';
import type { PartialSuccess } from './otlp-wire';

// The answer names the first few rejected spans; the rest are counted.
const MAX_REASONS = 5;

/**
 * Records an OTLP export for a project: every span mapped and validated on its own (a bad span is
 * rejected alone, with why), the valid ones appended through the event recorder. `session.id` and
 * `user.id` are trace-level: a span stating neither carries its trace's, as a parent span of this
 * export (or of a recent one) states them; a generation carries the API key that exported it.
 */
@Injectable()
export class OtlpIngest {
  constructor(
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
    @Inject(Pricing) private readonly pricing: Pricing,
    @Inject(RecentTraceAttributes) private readonly recent: RecentTraceAttributes,
  ) {}

  /** Resolves once every accepted span is in the log; `rejectedSpans` 0 when all were accepted. */
  async export(projectId: string, request: unknown, apiKeyId?: string): Promise<PartialSuccess> {
    const price: PriceGeneration = (model, provider, usage, at) =>
      costData(this.pricing.costOf(projectId, model, provider, usage, at));
    const accepted: SightlineEvent[] = [];
    const reasons: string[] = [];
    const raw = spansOf(request);
    const mapped = raw.map((span): MappedSpan | SpanRejected => {
      try {
        if ('unreadable' in span) throw new SpanRejected(span.unreadable);
        return mapSpan(span);
      } catch (error) {
        if (error instanceof SpanRejected) return error;
        throw error;
      }
    });
    const inherited = traceAttributesOf(
      projectId,
      mapped.filter((m): m is MappedSpan => !(m instanceof SpanRejected)),
      this.recent,
    );
    raw.forEach((span, index) => {
      try {
        const own = mapped[index];
        if (own instanceof SpanRejected) throw own;
        const completed = { ...own, ...inherited(own) };
        const events = eventsOf(projectId, completed, price, apiKeyId).map((e) => validateNewEvent(e));
        if (Buffer.byteLength(JSON.stringify(events)) > MAX_INGEST_ITEM_BYTES) {
          throw new SpanRejected(`larger than ${MAX_INGEST_ITEM_BYTES} bytes once recorded`);
        }
        accepted.push(...events);
      } catch (error) {
        if (!(error instanceof SpanRejected || error instanceof EventValidationError)) throw error;
        const id = 'spanId' in span && span.spanId ? `span ${span.spanId}` : `span #${index}`;
        reasons.push(`${id}: ${error instanceof EventValidationError ? describe(error) : error.message}`);
      }
    });

    if (accepted.length) await this.recorder.record(accepted);
    return { rejectedSpans: reasons.length, errorMessage: summary(reasons) };
  }
}

function describe(error: EventValidationError): string {
  const issues = error.issues.slice(0, 3).map((i) => `${i.path} ${i.message}`);
  return issues.length ? `${error.reason} (${issues.join('; ')})` : error.reason;
}

function summary(reasons: readonly string[]): string {
  if (!reasons.length) return '';
  const more = reasons.length > MAX_REASONS ? `; and ${reasons.length - MAX_REASONS} more` : '';
  return `${reasons.length} span(s) rejected: ${reasons.slice(0, MAX_REASONS).join('; ')}${more}`;
}
