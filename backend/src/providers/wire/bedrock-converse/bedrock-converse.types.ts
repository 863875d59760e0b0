/**
 * AWS Bedrock Converse / ConverseStream JSON shapes, as sent on the wire (restJson1: blobs are
 * base64 strings, documents are plain JSON). Names follow the API reference
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html); a content
 * block is a union: exactly one member is set. Unnamed members are kept (index signatures).
 */

export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface BedrockToolResultContent {
  readonly text?: string;
  readonly json?: unknown;
  readonly [member: string]: unknown;
}

export interface BedrockContentBlock {
  readonly text?: string;
  /** `source.bytes` is base64; `source.s3Location` has no hub equivalent. */
  readonly image?: {
    readonly format: string;
    readonly source: { readonly bytes?: string; readonly [m: string]: unknown };
  };
  readonly toolUse?: { readonly toolUseId: string; readonly name: string; readonly input: unknown };
  readonly toolResult?: {
    readonly toolUseId: string;
    readonly content: readonly BedrockToolResultContent[];
    readonly status?: 'success' | 'error';
  };
  readonly reasoningContent?: {
    readonly reasoningText?: { readonly text: string; readonly signature?: string };
    readonly redactedContent?: string;
  };
  readonly [member: string]: unknown;
}

export interface BedrockMessage {
  readonly role: 'user' | 'assistant';
  readonly content: readonly BedrockContentBlock[];
}

export interface BedrockToolSpec {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: { readonly json: unknown };
  readonly strict?: boolean;
}

/** `{ auto: {} } | { any: {} } | { tool: { name } }`. */
export interface BedrockToolChoice {
  readonly auto?: Record<string, never>;
  readonly any?: Record<string, never>;
  readonly tool?: { readonly name: string };
}

export interface BedrockInferenceConfig {
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stopSequences?: readonly string[];
}

/** `outputConfig.textFormat`: structured output constrained by a JSON schema (sent as JSON text). */
export interface BedrockOutputConfig {
  readonly textFormat?: {
    readonly type: 'json_schema';
    readonly structure: {
      readonly jsonSchema: { readonly schema: string; readonly name?: string; readonly description?: string };
    };
  };
  readonly effort?: string;
}

/** `POST /model/{modelId}/converse` (and `/converse-stream`) body; the model is in the path. */
export interface BedrockConverseRequest {
  readonly messages: readonly BedrockMessage[];
  readonly system?: readonly { readonly text?: string; readonly [member: string]: unknown }[];
  readonly inferenceConfig?: BedrockInferenceConfig;
  readonly toolConfig?: {
    readonly tools: readonly { readonly toolSpec?: BedrockToolSpec; readonly [member: string]: unknown }[];
    readonly toolChoice?: BedrockToolChoice;
  };
  readonly outputConfig?: BedrockOutputConfig;
  readonly serviceTier?: { readonly type: string };
  readonly requestMetadata?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

export type BedrockStopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'malformed_model_output'
  | 'malformed_tool_use'
  | 'model_context_window_exceeded';

export interface BedrockTokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
  readonly [field: string]: unknown;
}

export interface BedrockConverseResponse {
  readonly output: { readonly message: BedrockMessage };
  readonly stopReason: string;
  readonly usage: BedrockTokenUsage;
  readonly metrics: { readonly latencyMs: number };
  readonly [field: string]: unknown;
}

/** ConverseStream event types (the `:event-type` header of each event-stream message). */
export type BedrockStreamEventType =
  | 'messageStart'
  | 'contentBlockStart'
  | 'contentBlockDelta'
  | 'contentBlockStop'
  | 'messageStop'
  | 'metadata';
