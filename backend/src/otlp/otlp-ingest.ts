import { Inject, Injectable } from '@nestjs/common';
import {
  EventValidationError,
  MAX_INGEST_ITEM_BYTES,
  validateNewEvent,
  type SightlineEvent,
} from '@sightline/schemas';
import { costData, Pricing } from '../costs/pricing';
import { EventRecorder } from '../eventlog/event-recorder';
import { mapSpan, SpanRejected } from './genai-span';
import { eventsOf, type PriceGeneration } from './otlp-events';
import { spansOf } from './otlp-spans';
import type { PartialSuccess } from './otlp-wire';

// The answer names the first few rejected spans; the rest are counted.
const MAX_REASONS = 5;

/**
 * Records an OTLP export for a project: every span mapped and validated on its own (a bad span is
 * rejected alone, with why), the valid ones appended through the event recorder.
 */
@Injectable()
export class OtlpIngest {
  constructor(
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
    @Inject(Pricing) private readonly pricing: Pricing,
  ) {}

  /** Resolves once every accepted span is in the log; `rejectedSpans` 0 when all were accepted. */
  async export(projectId: string, request: unknown): Promise<PartialSuccess> {
    const price: PriceGeneration = (model, provider, usage, at) =>
      costData(this.pricing.costOf(projectId, model, provider, usage, at));
    const accepted: SightlineEvent[] = [];
    const reasons: string[] = [];
    spansOf(request).forEach((span, index) => {
      try {
        if ('unreadable' in span) throw new SpanRejected(span.unreadable);
        const events = eventsOf(projectId, mapSpan(span), price).map((e) => validateNewEvent(e));
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
