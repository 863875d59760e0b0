/**
 * The OpenAI Responses API wire shapes Sightline reads and writes (`POST /v1/responses`), after the
 * API reference and the `openai` SDK's `resources/responses` types. Fields not named here are kept
 * by a same-format passthrough; a translation names what it cannot express.
 */

export interface ResponsesUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number; readonly [f: string]: unknown };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number; readonly [f: string]: unknown };
  readonly total_tokens: number;
}

/** `output_text` part of an output message; annotations are citations (`url_citation`, `file_citation`...). */
export interface OutputText {
  readonly type: 'output_text';
  readonly text: string;
  readonly annotations: readonly unknown[];
  readonly logprobs?: readonly unknown[];
}

export interface OutputRefusal {
  readonly type: 'refusal';
  readonly refusal: string;
}

export interface OutputMessageItem {
  readonly type: 'message';
  readonly id: string;
  readonly role: 'assistant';
  readonly status: 'in_progress' | 'completed' | 'incomplete';
  readonly content: readonly (OutputText | OutputRefusal)[];
}

export interface FunctionCallItem {
  readonly type: 'function_call';
  readonly id: string;
  readonly call_id: string;
  readonly name: string;
  /** JSON text, as the model wrote it. */
  readonly arguments: string;
  readonly status: 'in_progress' | 'completed' | 'incomplete';
}

/** Reasoning: `summary` (summary_text parts) and, for models that expose it, `content` (reasoning_text). */
export interface ReasoningItem {
  readonly type: 'reasoning';
  readonly id: string;
  readonly summary: readonly { readonly type: 'summary_text'; readonly text: string }[];
  readonly content?: readonly { readonly type: 'reasoning_text'; readonly text: string }[];
  readonly status?: 'in_progress' | 'completed' | 'incomplete';
}

export type OutputItem = OutputMessageItem | FunctionCallItem | ReasoningItem;

export type ResponseStatus = 'completed' | 'failed' | 'in_progress' | 'cancelled' | 'queued' | 'incomplete';

/** The `response` object (`object: 'response'`), returned whole or inside stream events. */
export interface ResponseObject {
  readonly id: string;
  readonly object: 'response';
  readonly created_at: number;
  readonly status: ResponseStatus;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly incomplete_details: { readonly reason?: 'max_output_tokens' | 'content_filter' } | null;
  readonly instructions: string | null;
  readonly max_output_tokens: number | null;
  readonly model: string;
  readonly output: readonly OutputItem[];
  readonly parallel_tool_calls: boolean;
  readonly previous_response_id: string | null;
  readonly reasoning: { readonly effort: string | null; readonly summary: string | null };
  readonly store: boolean;
  readonly temperature: number | null;
  readonly text: { readonly format: Record<string, unknown> };
  readonly tool_choice: unknown;
  readonly tools: readonly unknown[];
  readonly top_p: number | null;
  readonly truncation: 'auto' | 'disabled';
  readonly usage: ResponsesUsage | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly service_tier?: string | null;
  readonly [field: string]: unknown;
}
