import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from './chat-completions';

/** The request/response formats the gateway speaks, to callers and to providers. */
export type WireFormatId =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic-messages'
  | 'gemini'
  | 'bedrock-converse'
  | 'cohere-chat'
  | 'mistral-chat';

/**
 * One decoded streaming event as the provider framed it: an SSE event (`event` = the SSE `event:`
 * field or `message`, `data` = its JSON-parsed data) or, for binary framings (AWS event stream),
 * the event type and its decoded payload.
 */
export interface WireEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Stateful: one per stream. */
export interface StreamDecoder {
  /** Chunks in the hub format for one provider event (often none, sometimes several). */
  push(event: WireEvent): ChatCompletionChunk[];
  /** The stream ended: chunks still owed (e.g. a final usage chunk). */
  end(): ChatCompletionChunk[];
}

/** Stateful: one per stream. Output is the exact text to write on the caller's connection. */
export interface StreamEncoder {
  push(chunk: ChatCompletionChunk): string;
  /** The stream ended normally (e.g. `data: [DONE]`, `event: message_stop`). */
  end(): string;
  /** The `sequence_number` the next event takes, for formats that number their events (Responses). */
  readonly nextSequence?: number;
}

/**
 * Pure translation between one wire format and the hub (OpenAI Chat Completions). No I/O, no
 * clock: ids and `created` come from the input. A feature the target cannot express throws
 * `InvalidInputError` with reason `unsupported_feature` and a message naming it (never a silent
 * drop); a malformed body throws `InvalidInputError` naming the field.
 */
export interface WireFormat {
  readonly id: WireFormatId;
  /** Caller's body in this format → hub request. */
  toChatRequest(body: unknown): ChatCompletionRequest;
  /** Hub request → body for a provider speaking this format (the model is already the wire name). */
  fromChatRequest(request: ChatCompletionRequest): unknown;
  /** Provider's non-streamed answer in this format → hub. */
  toChatCompletion(body: unknown): ChatCompletion;
  /** Hub answer → this format, for a caller of this format. */
  fromChatCompletion(completion: ChatCompletion): unknown;
  streamDecoder(): StreamDecoder;
  streamEncoder(): StreamEncoder;
}
