import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { newSpanId, newTraceId, type EventSource, type SightlineEvent } from '@sightline/schemas';
import type { ProjectAccess } from '../auth/caller';
import { Clock } from '../common/clock';
import { EventRecorder } from '../eventlog/event-recorder';
import { type ChatChunk, type ChatRequest, type ChatResult, type LlmProvider } from '../providers/provider';
import { ProviderError } from '../common/errors';
import { ProviderRegistry } from '../providers/provider-registry';
import {
  generationCompleted,
  generationFailed,
  generationRequested,
  type CompletedOutcome,
  type GenerationSpan,
} from './generation-events';

export interface TraceHeaders {
  readonly traceId?: string;
  readonly parentSpanId?: string;
}

export type ChatCompletionOutcome =
  | { readonly kind: 'completion'; readonly span: GenerationSpan; readonly result: Promise<ChatResult> }
  | { readonly kind: 'stream'; readonly span: GenerationSpan; readonly chunks: AsyncIterable<ChatChunk> };

/**
 * Run one chat request through its provider and record it as events. The outcome comes back
 * before the provider answers, so the caller can send the span's ids first.
 */
export class ChatCompletionCommand extends Command<ChatCompletionOutcome> {
  constructor(
    readonly access: ProjectAccess,
    readonly endUserId: string | undefined,
    readonly request: ChatRequest,
    readonly stream: boolean,
    readonly source: EventSource,
    readonly trace: TraceHeaders,
    readonly signal: AbortSignal,
  ) {
    super();
  }
}

function failure(
  error: unknown,
  signal: AbortSignal,
): { errorClass: string; providerStatus: number | null; message: string } {
  if (signal.aborted)
    return { errorClass: 'client_aborted', providerStatus: null, message: 'the client went away' };
  if (error instanceof ProviderError) {
    return { errorClass: error.errorClass, providerStatus: error.providerStatus, message: error.message };
  }
  return { errorClass: 'internal_error', providerStatus: null, message: (error as Error).message };
}

@CommandHandler(ChatCompletionCommand)
export class ChatCompletionHandler implements ICommandHandler<ChatCompletionCommand, ChatCompletionOutcome> {
  constructor(
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: ChatCompletionCommand): Promise<ChatCompletionOutcome> {
    const provider = this.providers.resolve(command.request.model); // throws UnknownModelError before anything is recorded
    const span: GenerationSpan = {
      projectId: command.access.projectId,
      endUserId: command.endUserId,
      traceId: command.trace.traceId ?? newTraceId(),
      spanId: newSpanId(),
      parentSpanId: command.trace.parentSpanId,
      source: command.source,
      provider: provider.id,
      startedAt: this.clock.now(),
    };
    this.record(generationRequested(span, command.request, command.stream));
    if (command.stream) return { kind: 'stream', span, chunks: this.recordStream(provider, span, command) };
    return { kind: 'completion', span, result: this.complete(provider, span, command) };
  }

  /** Recording is off the request path: the recorder appends in the background, in order. */
  private record(event: SightlineEvent): void {
    void this.recorder.record([event]);
  }

  private async complete(
    provider: LlmProvider,
    span: GenerationSpan,
    command: ChatCompletionCommand,
  ): Promise<ChatResult> {
    const started = this.clock.monotonicMs();
    try {
      const result = await provider.complete(command.request, command.signal);
      const latencyMs = this.clock.monotonicMs() - started;
      this.record(
        generationCompleted(span, { ...result, latencyMs, timeToFirstTokenMs: null }, this.clock.now()),
      );
      return result;
    } catch (error) {
      this.recordFailure(span, error, command.signal, started);
      throw error;
    }
  }

  private async *recordStream(
    provider: LlmProvider,
    span: GenerationSpan,
    command: ChatCompletionCommand,
  ): AsyncGenerator<ChatChunk> {
    const started = this.clock.monotonicMs();
    const acc = new StreamAccumulator();
    let ended = false;
    try {
      for await (const chunk of provider.stream(command.request, command.signal)) {
        acc.add(chunk, this.clock.monotonicMs() - started);
        yield chunk;
      }
      ended = true;
      this.record(
        generationCompleted(span, acc.outcome(this.clock.monotonicMs() - started), this.clock.now()),
      );
    } catch (error) {
      ended = true;
      this.recordFailure(span, error, command.signal, started);
      throw error;
    } finally {
      // The consumer stopped reading early (client gone): still record how it ended.
      if (!ended) this.recordFailure(span, new Error('stream abandoned'), command.signal, started);
    }
  }

  private recordFailure(span: GenerationSpan, error: unknown, signal: AbortSignal, started: number): void {
    const latencyMs = this.clock.monotonicMs() - started;
    this.record(generationFailed(span, { ...failure(error, signal), latencyMs }, this.clock.now()));
  }
}

/** Folds streamed chunks into the completed outcome. */
export class StreamAccumulator {
  private content = '';
  private sawContent = false;
  private toolCalls: unknown[] = [];
  private finishReason = 'unknown';
  private usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedTokens: 0, reasoningTokens: 0 };
  private firstTokenMs: number | null = null;

  add(chunk: ChatChunk, elapsedMs: number): void {
    if (chunk.contentDelta) {
      this.content += chunk.contentDelta;
      this.sawContent = true;
      this.firstTokenMs ??= elapsedMs;
    }
    if (chunk.toolCallsDelta?.length) {
      this.toolCalls.push(...chunk.toolCallsDelta);
      this.firstTokenMs ??= elapsedMs;
    }
    if (chunk.finishReason) this.finishReason = chunk.finishReason;
    if (chunk.usage) this.usage = { ...chunk.usage };
  }

  outcome(latencyMs: number): CompletedOutcome {
    return {
      content: this.sawContent || !this.toolCalls.length ? this.content : null,
      ...(this.toolCalls.length ? { toolCalls: this.toolCalls } : {}),
      finishReason: this.finishReason,
      usage: this.usage,
      latencyMs,
      timeToFirstTokenMs: this.firstTokenMs,
    };
  }
}
