import type { ChatMessage, Usage } from '@sightline/schemas';

/** A chat request in Sightline's provider-neutral form (camelCase; providers map it to their wire format). */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  /** Sampling parameters as the caller sent them (OpenAI names: temperature, top_p, max_tokens, stop, seed...). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly tools?: readonly unknown[];
  readonly responseFormat?: unknown;
  readonly user?: string;
}

export interface ChatResult {
  readonly content: string | null;
  readonly toolCalls?: readonly unknown[];
  readonly finishReason: string;
  readonly usage: Usage;
}

/** One streamed delta; the last chunk of a stream carries `finishReason` and `usage`. */
export interface ChatChunk {
  readonly contentDelta?: string;
  readonly toolCallsDelta?: readonly unknown[];
  readonly finishReason?: string;
  readonly usage?: Usage;
}

export interface LlmProvider {
  /** Stable id recorded in events, e.g. `mock`, `openai`. */
  readonly id: string;
  /** Whether this provider serves `model`. */
  supports(model: string): boolean;
  complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
}
