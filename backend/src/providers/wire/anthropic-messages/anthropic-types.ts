/**
 * Anthropic Messages API shapes (`POST /v1/messages`), the subset Sightline translates. Field names
 * follow the API reference and the official `@anthropic-ai/sdk` types (`resources/messages`);
 * index signatures keep what Sightline does not name.
 */

export type AnthropicRole = 'user' | 'assistant';

export interface AnthropicTextBlock {
  readonly type: 'text';
  readonly text: string;
  readonly cache_control?: unknown;
  readonly citations?: unknown;
}

/** `source`: `{ type: 'base64', media_type, data }`, `{ type: 'url', url }` or `{ type: 'file', file_id }`. */
export interface AnthropicImageBlock {
  readonly type: 'image';
  readonly source: {
    readonly type: string;
    readonly media_type?: string;
    readonly data?: string;
    readonly url?: string;
    readonly [field: string]: unknown;
  };
  readonly cache_control?: unknown;
}

export interface AnthropicToolUseBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  /** The arguments as a JSON value (an object for client tools). */
  readonly input: unknown;
}

export interface AnthropicToolResultBlock {
  readonly type: 'tool_result';
  readonly tool_use_id: string;
  readonly content?: string | readonly AnthropicBlock[];
  readonly is_error?: boolean;
}

export interface AnthropicThinkingBlock {
  readonly type: 'thinking';
  readonly thinking: string;
  /** Opaque proof that Claude wrote the block; must come back unchanged in a later turn. */
  readonly signature: string;
}

export interface AnthropicRedactedThinkingBlock {
  readonly type: 'redacted_thinking';
  readonly data: string;
}

/** A content block; other `type`s (documents, server tools, search results...) are recognised by `type` only. */
export type AnthropicBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export interface AnthropicMessageParam {
  readonly role: AnthropicRole | 'system';
  readonly content: string | readonly AnthropicBlock[];
}

export interface AnthropicTool {
  /** Absent or `custom` for a client tool; a dated id (`web_search_20250305`...) for Anthropic's server tools. */
  readonly type?: string | null;
  readonly name: string;
  readonly description?: string;
  readonly input_schema?: Record<string, unknown>;
  readonly strict?: boolean;
  readonly cache_control?: unknown;
}

/** `{ type: 'auto' | 'any' | 'none' }` or `{ type: 'tool', name }`, each with `disable_parallel_tool_use?`. */
export interface AnthropicToolChoice {
  readonly type: 'auto' | 'any' | 'tool' | 'none';
  readonly name?: string;
  readonly disable_parallel_tool_use?: boolean;
}

/** `{ type: 'enabled', budget_tokens }`, `{ type: 'adaptive' }` or `{ type: 'disabled' }`. */
export interface AnthropicThinkingConfig {
  readonly type: 'enabled' | 'adaptive' | 'disabled';
  readonly budget_tokens?: number;
  readonly [field: string]: unknown;
}

export interface AnthropicOutputConfig {
  readonly effort?: string | null;
  /** Structured output: the answer's text is JSON matching `schema`. */
  readonly format?: { readonly type: 'json_schema'; readonly schema: Record<string, unknown> } | null;
}

/** `POST /v1/messages` body. */
export interface AnthropicRequest {
  readonly model: string;
  readonly max_tokens: number;
  readonly messages: readonly AnthropicMessageParam[];
  readonly system?: string | readonly AnthropicTextBlock[];
  readonly stream?: boolean;
  readonly stop_sequences?: readonly string[];
  readonly temperature?: number;
  readonly top_p?: number;
  readonly top_k?: number;
  readonly tools?: readonly AnthropicTool[];
  readonly tool_choice?: AnthropicToolChoice;
  readonly thinking?: AnthropicThinkingConfig;
  readonly output_config?: AnthropicOutputConfig;
  readonly metadata?: { readonly user_id?: string | null };
  readonly service_tier?: string;
  readonly [field: string]: unknown;
}

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export interface AnthropicUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  readonly output_tokens_details?: { readonly thinking_tokens?: number } | null;
  readonly service_tier?: string | null;
  readonly [field: string]: unknown;
}

/** A non-streamed answer (`type: 'message'`). */
export interface AnthropicMessage {
  readonly id: string;
  readonly type: 'message';
  readonly role: 'assistant';
  readonly model: string;
  readonly content: readonly AnthropicBlock[];
  readonly stop_reason: AnthropicStopReason | null;
  readonly stop_sequence: string | null;
  readonly usage: AnthropicUsage;
  readonly [field: string]: unknown;
}

/** `{ type: 'error', error: { type, message }, request_id }`, the body of every error, streamed or not. */
export interface AnthropicErrorBody {
  readonly type: 'error';
  readonly error: { readonly type: string; readonly message: string };
  readonly request_id?: string | null;
}

/** Streamed deltas (`content_block_delta.delta`). */
export type AnthropicDelta =
  | { readonly type: 'text_delta'; readonly text: string }
  | { readonly type: 'input_json_delta'; readonly partial_json: string }
  | { readonly type: 'thinking_delta'; readonly thinking: string }
  | { readonly type: 'signature_delta'; readonly signature: string }
  | { readonly type: 'citations_delta'; readonly citation: unknown };

/** The streamed events, by SSE `event:` name (each `data` repeats it as `type`). */
export type AnthropicStreamEvent =
  | { readonly type: 'message_start'; readonly message: AnthropicMessage }
  | { readonly type: 'content_block_start'; readonly index: number; readonly content_block: AnthropicBlock }
  | { readonly type: 'content_block_delta'; readonly index: number; readonly delta: AnthropicDelta }
  | { readonly type: 'content_block_stop'; readonly index: number }
  | {
      readonly type: 'message_delta';
      readonly delta: {
        readonly stop_reason: AnthropicStopReason | null;
        readonly stop_sequence: string | null;
      };
      readonly usage: Partial<AnthropicUsage>;
    }
  | { readonly type: 'message_stop' }
  | { readonly type: 'ping' }
  | AnthropicErrorBody;

/** The HTTP status Anthropic answers for each error type (API reference, "Errors"). */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};
