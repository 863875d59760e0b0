/**
 * OpenAI Chat Completions, the gateway's hub format: every other wire format translates to and from
 * it (`WireFormat`), so N formats need N translators, not N². Shapes follow OpenAI's API reference
 * (https://platform.openai.com/docs/api-reference/chat); fields Sightline does not name are kept
 * (index signatures) so that a same-format call passes them through unchanged.
 */

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** `{ type: 'text', text }`, `{ type: 'image_url', image_url: { url, detail? } }`, `input_audio`, `file`... */
export interface ChatContentPart {
  readonly type: string;
  readonly text?: string;
  readonly image_url?: { readonly url: string; readonly detail?: string };
  readonly [field: string]: unknown;
}

/**
 * Provider data a tool call (or an assistant message's text) must carry back to its provider, as
 * Google's OpenAI-compatible API spells it: Gemini's `thoughtSignature` of a function call part, or
 * of the answer's text parts (thinking models need it returned with the call or text next turn).
 */
export interface ToolCallExtra {
  readonly google?: { readonly thought_signature?: string };
}

export interface ChatToolCall {
  readonly id: string;
  readonly type: 'function';
  /** `arguments` is a JSON text, as the model wrote it (possibly invalid JSON). */
  readonly function: { readonly name: string; readonly arguments: string };
  readonly extra_content?: ToolCallExtra;
}

export interface ChatMessageWire {
  readonly role: ChatRole;
  readonly content?: string | readonly ChatContentPart[] | null;
  readonly name?: string;
  readonly tool_call_id?: string;
  readonly tool_calls?: readonly ChatToolCall[];
  readonly refusal?: string | null;
  /** Reasoning text some providers return (DeepSeek, OpenRouter, vLLM); Anthropic `thinking` maps here. */
  readonly reasoning_content?: string | null;
  /** The thought signature of the message's text (Gemini), to be sent back with it. */
  readonly extra_content?: ToolCallExtra;
  readonly [field: string]: unknown;
}

export interface ChatTool {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description?: string;
    /** JSON Schema of the arguments. */
    readonly parameters?: Record<string, unknown>;
    readonly strict?: boolean | null;
  };
}

/** `POST /v1/chat/completions` body. */
export interface ChatCompletionRequest {
  readonly model: string;
  readonly messages: readonly ChatMessageWire[];
  readonly stream?: boolean | null;
  readonly stream_options?: { readonly include_usage?: boolean } | null;
  readonly temperature?: number | null;
  readonly top_p?: number | null;
  readonly max_tokens?: number | null;
  readonly max_completion_tokens?: number | null;
  readonly n?: number | null;
  /** A string or up to 4 strings. */
  readonly stop?: string | readonly string[] | null;
  readonly seed?: number | null;
  readonly tools?: readonly ChatTool[];
  /** `'none' | 'auto' | 'required' | { type: 'function', function: { name } }`. */
  readonly tool_choice?: unknown;
  readonly parallel_tool_calls?: boolean;
  /** `{ type: 'text' } | { type: 'json_object' } | { type: 'json_schema', json_schema: { name, schema, strict? } }`. */
  readonly response_format?: { readonly type: string; readonly json_schema?: Record<string, unknown> } | null;
  readonly reasoning_effort?: string | null;
  readonly user?: string;
  readonly [field: string]: unknown;
}

export interface ChatUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details?: { readonly cached_tokens?: number; readonly [f: string]: unknown } | null;
  readonly completion_tokens_details?: {
    readonly reasoning_tokens?: number;
    readonly [f: string]: unknown;
  } | null;
  readonly [field: string]: unknown;
}

export interface ChatChoice {
  readonly index: number;
  readonly message: ChatMessageWire;
  /** `stop | length | tool_calls | content_filter | function_call` (other formats' reasons mapped onto these). */
  readonly finish_reason: string | null;
  readonly logprobs?: unknown;
  readonly [field: string]: unknown;
}

/** A non-streamed answer (`object: 'chat.completion'`). */
export interface ChatCompletion {
  readonly id: string;
  readonly object: 'chat.completion';
  readonly created: number;
  readonly model: string;
  readonly choices: readonly ChatChoice[];
  readonly usage?: ChatUsage | null;
  readonly system_fingerprint?: string | null;
  readonly service_tier?: string | null;
  readonly [field: string]: unknown;
}

/** Tool-call fragment in a stream: the first carries `id` and `function.name`, later ones `arguments` pieces. */
export interface ChatToolCallDelta {
  readonly index: number;
  readonly id?: string;
  readonly type?: 'function';
  readonly function?: { readonly name?: string; readonly arguments?: string };
  /** On the first fragment, like `id`. */
  readonly extra_content?: ToolCallExtra;
}

export interface ChatChunkChoice {
  readonly index: number;
  readonly delta: {
    readonly role?: ChatRole;
    readonly content?: string | null;
    readonly refusal?: string | null;
    readonly reasoning_content?: string | null;
    readonly tool_calls?: readonly ChatToolCallDelta[];
    /** As on a whole message: the thought signature of the text (Gemini), in the chunk it came with. */
    readonly extra_content?: ToolCallExtra;
    readonly [field: string]: unknown;
  };
  readonly finish_reason: string | null;
  readonly logprobs?: unknown;
  readonly [field: string]: unknown;
}

/** One streamed `data:` payload (`object: 'chat.completion.chunk'`); the usage chunk has `choices: []`. */
export interface ChatCompletionChunk {
  readonly id: string;
  readonly object: 'chat.completion.chunk';
  readonly created: number;
  readonly model: string;
  readonly choices: readonly ChatChunkChoice[];
  readonly usage?: ChatUsage | null;
  readonly system_fingerprint?: string | null;
  readonly service_tier?: string | null;
  readonly [field: string]: unknown;
}
