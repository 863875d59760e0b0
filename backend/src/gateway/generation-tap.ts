import type {
  ChatChoice,
  ChatCompletion,
  ChatCompletionChunk,
  ChatUsage,
} from '../providers/wire/chat-completions';

/** A whole tool call, its fragments joined. `arguments` is JSON text as the model wrote it. */
export interface RecordedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** One choice as it was answered (or as far as it got). */
export interface RecordedChoice {
  readonly index: number;
  readonly content: string | null;
  readonly refusal?: string;
  readonly reasoning?: string;
  readonly toolCalls: readonly RecordedToolCall[];
  readonly finishReason: string | null;
}

interface ChoiceState {
  content: string | null;
  refusal?: string;
  reasoning?: string;
  readonly toolCalls: Map<number, { id: string; name: string; arguments: string }>;
  finishReason: string | null;
}

const append = (to: string | undefined | null, piece: unknown): string | undefined =>
  typeof piece === 'string' && piece !== '' ? (to ?? '') + piece : (to ?? undefined);

/**
 * What a generation answered, read from the hub view (OpenAI Chat Completions) of either a whole
 * answer or its stream: choices by index, tool calls assembled from their id/name and argument
 * fragments, the reported usage, the time to the first token. Whatever arrived before a stream broke
 * is kept.
 */
export class GenerationTap {
  private readonly state = new Map<number, ChoiceState>();
  private reportedUsage: ChatUsage | null = null;
  private firstTokenMs: number | null = null;

  /** A streamed chunk, `elapsedMs` after the call started. */
  chunk(chunk: ChatCompletionChunk, elapsedMs: number): void {
    if (chunk.usage) this.reportedUsage = chunk.usage;
    for (const { index, delta, finish_reason } of chunk.choices ?? []) {
      const choice = this.choice(index);
      const before = choice.content?.length ?? 0;
      choice.content = append(choice.content, delta?.content) ?? null;
      choice.refusal = append(choice.refusal, delta?.refusal);
      choice.reasoning = append(choice.reasoning, delta?.reasoning_content);
      for (const [position, call] of (delta?.tool_calls ?? []).entries()) {
        const key = typeof call.index === 'number' ? call.index : position;
        const whole = choice.toolCalls.get(key) ?? { id: '', name: '', arguments: '' };
        whole.id ||= call.id ?? '';
        whole.name += call.function?.name ?? '';
        whole.arguments += call.function?.arguments ?? '';
        choice.toolCalls.set(key, whole);
      }
      if (finish_reason) choice.finishReason = finish_reason;
      const produced =
        (choice.content?.length ?? 0) > before ||
        delta?.tool_calls?.length ||
        delta?.refusal ||
        delta?.reasoning_content;
      if (produced) this.firstTokenMs ??= elapsedMs;
    }
  }

  /** A whole (non-streamed) answer. */
  completion(completion: ChatCompletion): void {
    if (completion.usage) this.reportedUsage = completion.usage;
    for (const choice of completion.choices) this.state.set(choice.index, fromChoice(choice));
  }

  get choices(): RecordedChoice[] {
    return [...this.state.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({
        index,
        content: c.content,
        ...(c.refusal !== undefined ? { refusal: c.refusal } : {}),
        ...(c.reasoning !== undefined ? { reasoning: c.reasoning } : {}),
        toolCalls: [...c.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => ({ ...call })),
        finishReason: c.finishReason,
      }));
  }

  /** The usage the provider reported, null when it reported none. */
  get usage(): ChatUsage | null {
    return this.reportedUsage;
  }

  get timeToFirstTokenMs(): number | null {
    return this.firstTokenMs;
  }

  private choice(index: number): ChoiceState {
    let choice = this.state.get(index);
    if (!choice) {
      choice = { content: null, toolCalls: new Map(), finishReason: null };
      this.state.set(index, choice);
    }
    return choice;
  }
}

function fromChoice(choice: ChatChoice): ChoiceState {
  const message = choice.message ?? {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    content: typeof message.content === 'string' ? message.content : null,
    refusal: text(message.refusal),
    reasoning: text(message.reasoning_content),
    toolCalls: new Map(
      (message.tool_calls ?? []).map((call, i) => [
        i,
        { id: call.id ?? '', name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
      ]),
    ),
    finishReason: choice.finish_reason ?? null,
  };
}
