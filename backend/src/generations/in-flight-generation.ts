import type { ChoiceDelta, GenerationProgressed, GenerationRequested } from '@sightline/schemas';
import type { GrowingChoice } from '../common/output-cursor';
import type { GenerationView } from './generation.view';

interface Choice {
  readonly index: number;
  content: string | null;
  refusal?: string;
  reasoning?: string;
  readonly toolCalls: { id: string; name: string; arguments: string }[];
}

/** The GraphQL `GenerationProgress` (see schemas/graphql/schema.graphql). */
export interface ProgressView {
  id: string;
  elapsedMs: number;
  timeToFirstTokenMs: number | null;
  outputTokens: number;
  usageSource: 'REPORTED' | 'ESTIMATED';
  outputTokensPerSecond: number | null;
  choices: readonly ChoiceDelta[];
}

/**
 * A generation still streaming, as the live feed knows it: its request (once seen; progress may
 * come first, the two arrive on different topics) and its output so far, grown by its progress
 * events in `seq` order (a repeated or older one is ignored; one that never came leaves a gap the
 * final row fills).
 */
export class InFlightGeneration {
  requested: GenerationRequested | undefined;
  private readonly output = new Map<number, Choice>();
  private seq = 0;
  private latest: GenerationProgressed['data'] | undefined;

  /** Grows the output; false when the event was already applied. */
  apply(progress: GenerationProgressed): boolean {
    if (progress.data.seq <= this.seq) return false;
    this.seq = progress.data.seq;
    this.latest = progress.data;
    for (const delta of progress.data.choices) {
      let choice = this.output.get(delta.index);
      if (!choice)
        this.output.set(delta.index, (choice = { index: delta.index, content: null, toolCalls: [] }));
      if (delta.content !== undefined) choice.content = (choice.content ?? '') + delta.content;
      if (delta.refusal !== undefined) choice.refusal = (choice.refusal ?? '') + delta.refusal;
      if (delta.reasoning !== undefined) choice.reasoning = (choice.reasoning ?? '') + delta.reasoning;
      for (const piece of delta.toolCalls ?? []) {
        const call = (choice.toolCalls[piece.position] ??= { id: '', name: '', arguments: '' });
        call.id ||= piece.id ?? '';
        call.name += piece.name ?? '';
        call.arguments += piece.arguments ?? '';
      }
    }
    return true;
  }

  /** Every choice so far, by index. */
  get choices(): GrowingChoice[] {
    return [...this.output.values()].sort((a, b) => a.index - b.index);
  }

  /** The generation as a live row (status IN_FLIGHT); needs its request. */
  view(requested: GenerationRequested): GenerationView {
    const d = requested.data;
    const choices = this.choices;
    const toolCalls = choices.flatMap((c) => c.toolCalls.map((call) => ({ choiceIndex: c.index, ...call })));
    const stats = this.stats();
    return {
      id: requested.spanId,
      projectId: requested.projectId,
      traceId: requested.traceId,
      spanId: requested.spanId,
      source: requested.source,
      provider: d.provider,
      model: d.model,
      servedModel: null,
      status: 'IN_FLIGHT',
      startedAt: requested.occurredAt,
      endedAt: null,
      latencyMs: null,
      timeToFirstTokenMs: stats.timeToFirstTokenMs,
      outputTokensPerSecond: stats.outputTokensPerSecond,
      inputTokens: 0,
      outputTokens: stats.outputTokens,
      totalTokens: stats.outputTokens,
      usageSource: stats.usageSource,
      usageTokenizer: null,
      // Priced when it ends.
      cost: null,
      costBreakdown: null,
      priceVersion: null,
      costFlags: [],
      input: JSON.stringify(d.messages),
      output: choices.find((c) => c.index === 0)?.content ?? null,
      choices: choices.map((c) => ({
        index: c.index,
        content: c.content,
        refusal: c.refusal ?? null,
        reasoning: c.reasoning ?? null,
        finishReason: null,
        toolCalls: toolCalls.filter((t) => t.choiceIndex === c.index),
      })),
      toolCalls,
      finishReason: null,
      errorMessage: null,
      streamed: d.stream,
      cacheHit: false,
      sessionId: d.sessionId ?? null,
      tags: [...d.tags],
      metadata: Object.entries(d.metadata).map(([key, value]) => ({ key, value })),
      replayOf: d.replayOf ?? null,
    };
  }

  /** A progress update carrying `choices` (the text new for one subscriber). */
  progress(spanId: string, choices: readonly ChoiceDelta[]): ProgressView {
    return { id: spanId, ...this.stats(), choices };
  }

  private stats() {
    const { elapsedMs = 0, timeToFirstTokenMs = null, outputTokens = 0 } = this.latest ?? {};
    const streaming = timeToFirstTokenMs === null ? 0 : elapsedMs - timeToFirstTokenMs;
    return {
      elapsedMs,
      timeToFirstTokenMs,
      outputTokens,
      usageSource:
        this.latest?.outputTokensSource === 'reported' ? ('REPORTED' as const) : ('ESTIMATED' as const),
      outputTokensPerSecond: streaming > 0 ? (outputTokens * 1000) / streaming : null,
    };
  }
}
