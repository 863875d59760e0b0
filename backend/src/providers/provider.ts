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

/** The provider answered with an error, or could not be reached. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    message: string,
    /** HTTP status from the provider; null when it could not be reached. */
    readonly providerStatus: number | null,
    /** Stable class recorded in `generation.failed`: provider_error, provider_unreachable, timeout... */
    readonly errorClass: string,
  ) {
    super(message);
  }
}

export interface LlmProvider {
  /** Stable id recorded in events, e.g. `mock`, `openai`. */
  readonly id: string;
  /** Whether this provider serves `model`. */
  supports(model: string): boolean;
  complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
}
