import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  newSpanId,
  newTraceId,
  type EventSource,
  type GenerationCancelled,
  type GenerationCompleted,
  type GenerationCostData,
  type GenerationFailed,
  type ServedBy,
  type SightlineEvent,
} from '@sightline/schemas';
import type { ProjectAccess } from '../auth/caller';
import { Clock } from '../common/clock';
import { isDomainError, ProviderError } from '../common/errors';
import { CACHE_HIT_COST, costData, NOT_BILLED_COST, Pricing } from '../costs/pricing';
import { EventRecorder } from '../eventlog/event-recorder';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
} from '../providers/wire/chat-completions';
import type { RouteTarget } from '../routing/router';
import {
  answerOf,
  endUserOf,
  produced,
  generationCancelled,
  generationCompleted,
  generationFailed,
  generationProgressed,
  generationRequested,
  type Answer,
  type FailedOutcome,
  type GenerationSpan,
} from './generation-events';
import type { SpendHold } from '../budgets/budget-guard';
import { GenerationTap } from './generation-tap';
import { ProgressCoalescer } from './progress-coalescer';
import { ProgressPublisher } from './progress-publisher';
import type { TraceContext } from './trace-context';

/** The event a recorded call ends with. */
export type GenerationEnd = GenerationCompleted | GenerationFailed | GenerationCancelled;

/** How a call that did not complete ended. */
export type Broken = { readonly kind: 'cancelled' } | { readonly kind: 'failed'; readonly error: unknown };

/**
 * The events of one gateway call, recorded off the request path: `requested` once the first target
 * is known, then one end. Events are built, redacted and validated after the current I/O turn
 * (`setImmediate`), in order, so the upstream request and the answer go out first. Recording never
 * fails the call: a refused event is logged, never thrown.
 */
export class GenerationRecording {
  readonly tap = new GenerationTap();
  private readonly progress = new ProgressCoalescer();
  /** The provider and wire model of the last target tried (or of the cached answer). */
  private servedBy: ServedBy | undefined;
  private cached = false;
  private ended = false;
  private spend: SpendHold | undefined;
  private readonly startedMs: number;
  private readonly pending: {
    readonly event: () => SightlineEvent;
    readonly recorded?: (event: SightlineEvent | undefined) => void;
  }[] = [];
  private settle!: (end: GenerationEnd | undefined) => void;
  /**
   * The call's end event (completed, failed or cancelled) once handed to the log; undefined when
   * nothing was recorded (the call was refused before a target was tried).
   */
  readonly outcome = new Promise<GenerationEnd | undefined>((resolve) => (this.settle = resolve));

  constructor(
    readonly span: GenerationSpan,
    private readonly request: ChatCompletionRequest,
    private readonly trace: TraceContext,
    private readonly recorder: EventRecorder,
    private readonly publisher: ProgressPublisher,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pricing: Pricing,
  ) {
    this.startedMs = clock.monotonicMs();
  }

  /** Milliseconds since the call started. */
  elapsedMs(): number {
    return this.clock.monotonicMs() - this.startedMs;
  }

  /** Streamed chunks arrived: tapped, and published as live progress when one is due. */
  streamed(chunks: readonly ChatCompletionChunk[]): void {
    if (!chunks.length) return;
    const elapsed = this.elapsedMs();
    for (const chunk of chunks) this.tap.chunk(chunk, elapsed);
    if (this.ended || !this.progress.due(elapsed)) return;
    const choices = this.tap.choices;
    const progress = this.progress.take(choices, elapsed);
    if (!progress) return;
    const at = this.clock.now();
    this.publisher.publish(() => generationProgressed(this.span, progress, this.tap, choices, at));
  }

  /** The call's claim on its budgets: settled with what it cost when it ends. */
  hold(spend: SpendHold): void {
    this.spend = spend;
  }

  /** A target is about to be tried: the first one records the request. */
  attempt(target: RouteTarget): void {
    this.serving({ provider: target.adapter.id, model: target.model });
  }

  /** Answered from the response cache: recorded like a call that `provider` served, marked as a hit. */
  cacheHit(provider: string, model: string, completion: ChatCompletion): void {
    this.serving({ provider, model });
    this.cached = true;
    this.tap.completion(completion);
    this.completed();
  }

  completed(): void {
    this.end(true, (answer, latencyMs, at) =>
      generationCompleted(this.span, answer, latencyMs, at, this.costOf(answer), this.cached),
    );
  }

  /** At the price in force when the request started; a cache hit cost nothing. */
  private costOf(answer: Answer): GenerationCostData {
    if (this.cached) return CACHE_HIT_COST_DATA;
    const { provider, model } = answer.servedBy;
    return costData(
      this.pricing.costOf(this.span.projectId, model, provider, answer.usage, this.span.startedAt),
    );
  }

  private serving(servedBy: ServedBy): void {
    if (!this.servedBy)
      this.record(() => generationRequested(this.span, servedBy.provider, this.request, this.trace));
    this.servedBy = servedBy;
  }

  /**
   * Ended early: the caller went away (`cancelled`) or the provider failed, with what arrived so far,
   * priced like a completed call when anything arrived (providers bill the input they processed and
   * the output they streamed; their own usage wins when they reported it before the break).
   */
  broken(how: Broken): void {
    this.end(false, (answer, latencyMs, at) => {
      const cost = produced(answer) ? this.costOf(answer) : NOT_BILLED_COST_DATA;
      return how.kind === 'cancelled'
        ? generationCancelled(this.span, answer, latencyMs, at, cost)
        : generationFailed(this.span, failure(how.error), answer, latencyMs, at, cost);
    });
  }

  /**
   * Records the end once, after a target was tried (a call refused before that records nothing),
   * and settles the call's spend: what it used (a broken call that produced nothing used nothing).
   */
  private end(whole: boolean, event: (answer: Answer, latencyMs: number, at: Date) => GenerationEnd): void {
    const servedBy = this.servedBy;
    if (this.ended || !servedBy) {
      if (!servedBy) this.settle(undefined);
      return this.spend?.settle();
    }
    this.ended = true;
    const latencyMs = this.elapsedMs();
    const at = this.clock.now();
    const cached = this.cached;
    this.record(
      () => {
        const answer = answerOf(this.tap, this.request, servedBy);
        this.spend?.settle({ servedBy, usage: whole || produced(answer) ? answer.usage : null, cached });
        return event(answer, latencyMs, at);
      },
      (end) => this.settle(end as GenerationEnd | undefined),
    );
  }

  /** `recorded` is told the event once the log took it (or refused it: logged), undefined if it could not be built. */
  private record(event: () => SightlineEvent, recorded?: (event: SightlineEvent | undefined) => void): void {
    if (this.pending.push({ event, recorded }) === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    for (const { event, recorded } of this.pending.splice(0)) {
      let built: SightlineEvent | undefined;
      try {
        built = event();
        void this.recorder
          .record([built])
          .catch((error: unknown) => this.logger.error(error))
          .finally(() => recorded?.(built));
      } catch (error) {
        this.logger.error(error);
        recorded?.(built);
      }
    }
  }
}

const CACHE_HIT_COST_DATA = costData(CACHE_HIT_COST);
const NOT_BILLED_COST_DATA = costData(NOT_BILLED_COST);

function failure(error: unknown): FailedOutcome {
  if (error instanceof ProviderError) {
    return { errorClass: error.errorClass, providerStatus: error.providerStatus, message: error.message };
  }
  return {
    // Our own refusal after a target was picked (a feature its format cannot carry...) keeps its reason.
    errorClass: isDomainError(error) ? error.reason : 'internal_error',
    providerStatus: null,
    message: (error as Error)?.message ?? String(error),
  };
}

/** Starts the recording of gateway calls. */
@Injectable()
export class GenerationRecordings {
  private readonly logger = new Logger('GenerationRecording');

  constructor(
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
    @Inject(ProgressPublisher) private readonly publisher: ProgressPublisher,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Pricing) private readonly pricing: Pricing,
  ) {}

  /** `apiKeyId`: the public id of the key that sent the call, if one did. */
  start(
    access: ProjectAccess,
    request: ChatCompletionRequest,
    trace: TraceContext,
    apiKeyId?: string,
    source: EventSource = 'gateway',
  ): GenerationRecording {
    const span: GenerationSpan = {
      projectId: access.projectId,
      ...(apiKeyId ? { apiKeyId } : {}),
      traceId: trace.traceId ?? newTraceId(),
      spanId: newSpanId(),
      parentSpanId: trace.parentSpanId,
      endUserId: endUserOf(trace, request),
      source,
      startedAt: this.clock.now(),
    };
    return new GenerationRecording(
      span,
      request,
      trace,
      this.recorder,
      this.publisher,
      this.clock,
      this.logger,
      this.pricing,
    );
  }
}
