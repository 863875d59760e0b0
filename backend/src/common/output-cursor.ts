import type { ChoiceDelta, ToolCall } from '@sightline/schemas';

/** The parts of a choice whose text grows while it streams. */
export interface GrowingChoice {
  readonly index: number;
  readonly content: string | null;
  readonly refusal?: string;
  readonly reasoning?: string;
  readonly toolCalls: readonly ToolCall[];
}

/** Where `text[from..]` may be cut for sending; the default sends it all. */
export type CutPoint = (text: string, from: number) => number;

interface Sent {
  content: number;
  refusal: number;
  reasoning: number;
  readonly calls: { id: boolean; name: number; arguments: number }[];
}

const TEXT_FIELDS = ['content', 'refusal', 'reasoning'] as const;

/**
 * How much of a growing answer was sent: `next` gives the text added since (per choice: content,
 * refusal, reasoning; per tool call its id once, then new name and argument text) and moves on.
 */
export class OutputCursor {
  private readonly sent = new Map<number, Sent>();

  next(choices: readonly GrowingChoice[], cut: CutPoint = (text) => text.length): ChoiceDelta[] {
    return choices.flatMap((choice) => this.delta(choice, cut));
  }

  private delta(choice: GrowingChoice, cut: CutPoint): ChoiceDelta[] {
    let sent = this.sent.get(choice.index);
    if (!sent) this.sent.set(choice.index, (sent = { content: 0, refusal: 0, reasoning: 0, calls: [] }));
    const delta: { -readonly [K in keyof ChoiceDelta]: ChoiceDelta[K] } = { index: choice.index };
    for (const field of TEXT_FIELDS) {
      const text = choice[field] ?? '';
      const end = cut(text, sent[field]);
      if (end > sent[field]) [delta[field], sent[field]] = [text.slice(sent[field], end), end];
    }
    const calls = choice.toolCalls.flatMap((call, position) => {
      const was = (sent.calls[position] ??= { id: false, name: 0, arguments: 0 });
      const end = cut(call.arguments, was.arguments);
      const piece = {
        ...(call.id && !was.id ? { id: call.id } : {}),
        ...(call.name.length > was.name ? { name: call.name.slice(was.name) } : {}),
        ...(end > was.arguments ? { arguments: call.arguments.slice(was.arguments, end) } : {}),
      };
      [was.id, was.name, was.arguments] = [was.id || call.id !== '', call.name.length, end];
      return Object.keys(piece).length ? [{ position, ...piece }] : [];
    });
    if (calls.length) delta.toolCalls = calls;
    return Object.keys(delta).length > 1 ? [delta] : [];
  }
}
