/**
 * Cohere Chat API v2 (`POST /v2/chat`) JSON shapes as sent on the wire (snake_case), from the API
 * reference (https://docs.cohere.com/reference/chat) and the official SDK's types. Unnamed fields
 * are kept (index signatures).
 */

export interface CohereTextContent {
  readonly type: 'text';
  readonly text: string;
}

export interface CohereContentItem {
  /** `text`, `image_url` (user), `thinking` (assistant), `document` (tool). */
  readonly type: string;
  readonly text?: string;
  readonly thinking?: string;
  readonly image_url?: { readonly url: string; readonly detail?: string };
  readonly [field: string]: unknown;
}

export interface CohereToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface CohereMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content?: string | readonly CohereContentItem[];
  readonly tool_plan?: string;
  readonly tool_calls?: readonly CohereToolCall[];
  readonly tool_call_id?: string;
  readonly [field: string]: unknown;
}

export interface CohereTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters: unknown };
}

export interface CohereChatRequest {
  readonly model: string;
  readonly messages: readonly CohereMessage[];
  readonly stream?: boolean;
  readonly tools?: readonly CohereTool[];
  readonly strict_tools?: boolean;
  /** `{ type: 'text' } | { type: 'json_object', json_schema? }`. */
  readonly response_format?: { readonly type: string; readonly json_schema?: unknown };
  readonly max_tokens?: number;
  readonly stop_sequences?: readonly string[];
  readonly temperature?: number;
  readonly seed?: number;
  readonly frequency_penalty?: number;
  readonly presence_penalty?: number;
  readonly k?: number;
  readonly p?: number;
  readonly logprobs?: boolean;
  readonly tool_choice?: 'REQUIRED' | 'NONE';
  readonly [field: string]: unknown;
}

export type CohereFinishReason =
  'COMPLETE' | 'STOP_SEQUENCE' | 'MAX_TOKENS' | 'TOOL_CALL' | 'ERROR' | 'TIMEOUT';

export interface CohereUsage {
  readonly billed_units?: {
    readonly input_tokens?: number;
    readonly output_tokens?: number;
    readonly [f: string]: unknown;
  };
  readonly tokens?: { readonly input_tokens?: number; readonly output_tokens?: number };
  readonly cached_tokens?: number;
}

/** One log-probability entry: a text piece, its token ids and one log-probability per token. */
export interface CohereLogprob {
  readonly text?: string;
  readonly token_ids: readonly number[];
  readonly logprobs?: readonly number[];
}

export interface CohereChatResponse {
  readonly id: string;
  readonly finish_reason: string;
  readonly message: {
    readonly role: 'assistant';
    readonly content?: readonly CohereContentItem[];
    readonly tool_plan?: string;
    readonly tool_calls?: readonly CohereToolCall[];
    readonly citations?: readonly unknown[];
  };
  readonly usage?: CohereUsage;
  readonly logprobs?: readonly CohereLogprob[];
  readonly [field: string]: unknown;
}

/** The `type` of each v2 stream event (also its SSE `event:` name). */
export type CohereStreamEventType =
  | 'message-start'
  | 'content-start'
  | 'content-delta'
  | 'content-end'
  | 'tool-plan-delta'
  | 'tool-call-start'
  | 'tool-call-delta'
  | 'tool-call-end'
  | 'citation-start'
  | 'citation-end'
  | 'message-end'
  | 'debug';
