/**
 * The providers Sightline knows: their display name, the model-name prefix that routes to them,
 * and how the instance's environment configures them. Base URLs include the API's version path
 * (what the adapter appends to is `<baseUrl>/chat/completions`, `<baseUrl>/messages`...).
 */
export interface ProviderInfo {
  /** Stable id recorded on generations and used as the model prefix: `anthropic/claude-…`. */
  readonly id: string;
  /** For people: `Anthropic`. */
  readonly name: string;
  /** Where its env variables come from; absent for the built-in mock. */
  readonly env?: ProviderEnv;
}

export interface ProviderEnv {
  /** API key variables, first set wins (`GEMINI_API_KEY`, then `GOOGLE_API_KEY`). Comma-separated keys, optional `:weight`. */
  readonly keys: readonly string[];
  /** Overrides {@link defaultBaseUrl}. */
  readonly baseUrl: string;
  /** Unset: the base URL variable must be set (Azure, self-hosted servers). */
  readonly defaultBaseUrl?: string;
  /** Self-hosted servers: configured by their base URL alone, the key is optional. */
  readonly keyOptional?: boolean;
}

const hosted = (prefix: string, defaultBaseUrl: string): ProviderEnv => ({
  keys: [`${prefix}_API_KEY`],
  baseUrl: `${prefix}_BASE_URL`,
  defaultBaseUrl,
});

const selfHosted = (prefix: string): ProviderEnv => ({
  keys: [`${prefix}_API_KEY`],
  baseUrl: `${prefix}_BASE_URL`,
  keyOptional: true,
});

/** Every provider, in the order `/v1/models` lists them. Bedrock and Azure are read specially (see env-credentials). */
export const PROVIDERS: readonly ProviderInfo[] = [
  { id: 'openai', name: 'OpenAI', env: hosted('OPENAI', 'https://api.openai.com/v1') },
  { id: 'anthropic', name: 'Anthropic', env: hosted('ANTHROPIC', 'https://api.anthropic.com/v1') },
  {
    id: 'gemini',
    name: 'Google Gemini',
    env: {
      keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
      baseUrl: 'GEMINI_BASE_URL',
      defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    },
  },
  {
    id: 'bedrock',
    name: 'AWS Bedrock',
    env: { keys: ['AWS_SECRET_ACCESS_KEY'], baseUrl: 'BEDROCK_BASE_URL' },
  },
  {
    id: 'azure',
    name: 'Azure OpenAI',
    env: { keys: ['AZURE_OPENAI_API_KEY'], baseUrl: 'AZURE_OPENAI_ENDPOINT' },
  },
  { id: 'mistral', name: 'Mistral', env: hosted('MISTRAL', 'https://api.mistral.ai/v1') },
  { id: 'cohere', name: 'Cohere', env: hosted('COHERE', 'https://api.cohere.com/v2') },
  { id: 'groq', name: 'Groq', env: hosted('GROQ', 'https://api.groq.com/openai/v1') },
  { id: 'together', name: 'Together AI', env: hosted('TOGETHER', 'https://api.together.xyz/v1') },
  {
    id: 'fireworks',
    name: 'Fireworks AI',
    env: hosted('FIREWORKS', 'https://api.fireworks.ai/inference/v1'),
  },
  { id: 'deepseek', name: 'DeepSeek', env: hosted('DEEPSEEK', 'https://api.deepseek.com/v1') },
  { id: 'xai', name: 'xAI', env: hosted('XAI', 'https://api.x.ai/v1') },
  { id: 'openrouter', name: 'OpenRouter', env: hosted('OPENROUTER', 'https://openrouter.ai/api/v1') },
  { id: 'perplexity', name: 'Perplexity', env: hosted('PERPLEXITY', 'https://api.perplexity.ai') },
  { id: 'ollama', name: 'Ollama', env: selfHosted('OLLAMA') },
  { id: 'vllm', name: 'vLLM', env: selfHosted('VLLM') },
  { id: 'lmstudio', name: 'LM Studio', env: selfHosted('LMSTUDIO') },
  { id: 'mock', name: 'Sightline mock' },
];

const BY_ID = new Map(PROVIDERS.map((p) => [p.id, p]));

/** The provider with this id, if Sightline knows it. */
export function providerInfo(id: string): ProviderInfo | undefined {
  return BY_ID.get(id);
}

/** `set ANTHROPIC_API_KEY or add an Anthropic key in Settings → Providers` */
export function configureHint(provider: ProviderInfo): string {
  const settings = `add ${article(provider.name)} ${provider.name} key in Settings → Providers`;
  const env = provider.env;
  if (!env) return settings;
  if (provider.id === 'bedrock')
    return `set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION or ${settings}`;
  if (provider.id === 'azure') return `set AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT or ${settings}`;
  if (env.keyOptional) return `set ${env.baseUrl} or ${settings}`;
  return `set ${env.keys.join(' (or ')}${env.keys.length > 1 ? ')' : ''} or ${settings}`;
}

const article = (word: string): string => (/^[AEIOU]/i.test(word) ? 'an' : 'a');
