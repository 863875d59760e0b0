import type { GenerationSpan } from './generation-events';

interface Identity {
  readonly id: string;
  readonly model: string;
  readonly created: number;
}

/**
 * A translated answer (or chunk) whose provider format has no id, model or creation time — Bedrock
 * Converse has none, Cohere no model — takes the call's: `chatcmpl-<span id>`, the model on the
 * provider's wire, the call's start (Unix seconds). Fields the provider did send are kept.
 */
export function withIdentity<T extends Identity>(answer: T, span: GenerationSpan, model: string): T {
  if (answer.id !== '' && answer.model !== '' && answer.created !== 0) return answer;
  return {
    ...answer,
    id: answer.id || `chatcmpl-${span.spanId}`,
    model: answer.model || model,
    created: answer.created || Math.floor(span.startedAt.getTime() / 1000),
  };
}
