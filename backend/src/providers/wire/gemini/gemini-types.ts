/**
 * The Gemini API (Generative Language, `v1beta`) wire shapes Sightline translates: the
 * `models.generateContent` / `models.streamGenerateContent` request and `GenerateContentResponse`
 * (https://ai.google.dev/api/generate-content; field names as the REST API spells them, which the
 * `@google/genai` SDK's converters send). Unknown fields are allowed (index signatures).
 */

export interface GeminiBlob {
  readonly mimeType: string;
  /** Base64. */
  readonly data: string;
}

export interface GeminiFileData {
  readonly mimeType?: string;
  readonly fileUri: string;
}

export interface GeminiFunctionCall {
  /** Optional: Gemini usually sends none (see gemini-tool-ids.ts). */
  readonly id?: string;
  readonly name: string;
  readonly args?: Record<string, unknown>;
}

export interface GeminiFunctionResponse {
  readonly id?: string;
  readonly name: string;
  /** A JSON object; by convention `{ output }` or `{ error }`. */
  readonly response: Record<string, unknown>;
}

/** A union on which one field is set: `text`, `inlineData`, `fileData`, `functionCall`, `functionResponse`... */
export interface GeminiPart {
  readonly text?: string;
  /** The text is a thought (summary) of a thinking model. */
  readonly thought?: boolean;
  readonly thoughtSignature?: string;
  readonly inlineData?: GeminiBlob;
  readonly fileData?: GeminiFileData;
  readonly functionCall?: GeminiFunctionCall;
  readonly functionResponse?: GeminiFunctionResponse;
  readonly [field: string]: unknown;
}

export interface GeminiContent {
  /** `user` or `model`; absent in `systemInstruction`. */
  readonly role?: string;
  readonly parts: readonly GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  readonly name: string;
  readonly description?: string;
  /** OpenAPI 3.0 schema subset (types upper-case: `OBJECT`, `STRING`...). */
  readonly parameters?: Record<string, unknown>;
  /** Plain JSON Schema; exclusive with `parameters`. */
  readonly parametersJsonSchema?: unknown;
}

export interface GeminiTool {
  readonly functionDeclarations?: readonly GeminiFunctionDeclaration[];
  readonly [field: string]: unknown;
}

export interface GeminiToolConfig {
  readonly functionCallingConfig?: {
    /** `AUTO | ANY | NONE | VALIDATED`. */
    readonly mode?: string;
    readonly allowedFunctionNames?: readonly string[];
  };
  readonly [field: string]: unknown;
}

export interface GeminiThinkingConfig {
  readonly includeThoughts?: boolean;
  /** Tokens; 0 = off, -1 = automatic. */
  readonly thinkingBudget?: number;
  /** `MINIMAL | LOW | MEDIUM | HIGH` (Gemini 3). */
  readonly thinkingLevel?: string;
}

export interface GeminiGenerationConfig {
  readonly stopSequences?: readonly string[];
  readonly responseMimeType?: string;
  readonly responseSchema?: Record<string, unknown>;
  readonly responseJsonSchema?: unknown;
  readonly candidateCount?: number;
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly seed?: number;
  readonly presencePenalty?: number;
  readonly frequencyPenalty?: number;
  readonly responseLogprobs?: boolean;
  /** Top candidates per token (with `responseLogprobs`). */
  readonly logprobs?: number;
  readonly thinkingConfig?: GeminiThinkingConfig;
  readonly [field: string]: unknown;
}

/** `POST /v1beta/models/{model}:generateContent` body (the model is in the URL). */
export interface GeminiRequest {
  readonly contents: readonly GeminiContent[];
  readonly systemInstruction?: GeminiContent;
  readonly tools?: readonly GeminiTool[];
  readonly toolConfig?: GeminiToolConfig;
  readonly generationConfig?: GeminiGenerationConfig;
  readonly [field: string]: unknown;
}

export interface GeminiUsageMetadata {
  /** Includes `cachedContentTokenCount`. */
  readonly promptTokenCount?: number;
  /** Excludes thoughts. */
  readonly candidatesTokenCount?: number;
  readonly cachedContentTokenCount?: number;
  readonly thoughtsTokenCount?: number;
  readonly toolUsePromptTokenCount?: number;
  /** prompt + candidates + toolUsePrompt + thoughts. */
  readonly totalTokenCount?: number;
  readonly [field: string]: unknown;
}

export interface GeminiLogprobsCandidate {
  readonly token?: string;
  readonly tokenId?: number;
  readonly logProbability?: number;
}

export interface GeminiLogprobsResult {
  readonly topCandidates?: readonly { readonly candidates?: readonly GeminiLogprobsCandidate[] }[];
  readonly chosenCandidates?: readonly GeminiLogprobsCandidate[];
}

export interface GeminiCandidate {
  readonly content?: { readonly role?: string; readonly parts?: readonly GeminiPart[] };
  /** `STOP | MAX_TOKENS | SAFETY | RECITATION | ...`; absent until the candidate ends. */
  readonly finishReason?: string;
  readonly index?: number;
  readonly logprobsResult?: GeminiLogprobsResult;
  readonly avgLogprobs?: number;
  readonly [field: string]: unknown;
}

/** A `generateContent` answer, and each SSE `data:` of `streamGenerateContent?alt=sse`. */
export interface GeminiResponse {
  readonly candidates?: readonly GeminiCandidate[];
  readonly promptFeedback?: { readonly blockReason?: string; readonly [field: string]: unknown };
  readonly usageMetadata?: GeminiUsageMetadata;
  readonly modelVersion?: string;
  readonly responseId?: string;
  readonly [field: string]: unknown;
}

/** Google's error body: `{ error: { code, message, status, details? } }`. */
export interface GeminiErrorBody {
  readonly error: {
    /** The HTTP status. */
    readonly code: number;
    readonly message: string;
    /** The canonical code: `INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`, `UNAVAILABLE`... */
    readonly status: string;
    readonly details?: readonly Record<string, unknown>[];
  };
}
