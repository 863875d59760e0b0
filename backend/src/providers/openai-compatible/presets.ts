/**
 * The OpenAI-compatible family: servers that speak OpenAI's Chat Completions on their own base URL
 * with `Authorization: Bearer <key>`, so one transport (`OpenAiAdapter` with the provider's id)
 * serves them all and a call in OpenAI's format passes through unchanged. Base URLs (env
 * `<PREFIX>_BASE_URL` overrides; see `catalog/providers.ts`) and what each serves besides chat.
 */
export interface OpenAiCompatiblePreset {
  readonly id: string;
  /** Where the hosted API lives, or where the self-hosted server listens by default. */
  readonly baseUrl: string;
  /** Self-hosted: usually no key (sent only when configured). */
  readonly selfHosted: boolean;
  /** Serves `POST {baseUrl}/embeddings` in OpenAI's format. */
  readonly embeddings: boolean;
}

export const OPENAI_COMPATIBLE_PRESETS: readonly OpenAiCompatiblePreset[] = [
  { id: 'groq', baseUrl: 'https://api.groq.com/openai/v1', selfHosted: false, embeddings: false },
  { id: 'together', baseUrl: 'https://api.together.xyz/v1', selfHosted: false, embeddings: true },
  { id: 'fireworks', baseUrl: 'https://api.fireworks.ai/inference/v1', selfHosted: false, embeddings: true },
  { id: 'deepseek', baseUrl: 'https://api.deepseek.com/v1', selfHosted: false, embeddings: false },
  { id: 'xai', baseUrl: 'https://api.x.ai/v1', selfHosted: false, embeddings: false },
  { id: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', selfHosted: false, embeddings: true },
  { id: 'perplexity', baseUrl: 'https://api.perplexity.ai', selfHosted: false, embeddings: false },
  { id: 'ollama', baseUrl: 'http://localhost:11434/v1', selfHosted: true, embeddings: true },
  { id: 'vllm', baseUrl: 'http://localhost:8000/v1', selfHosted: true, embeddings: true },
  { id: 'lmstudio', baseUrl: 'http://localhost:1234/v1', selfHosted: true, embeddings: true },
];
