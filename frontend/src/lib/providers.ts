// The providers a project can store its own credentials for (Settings → Providers), and what each
// needs besides its secret. The ids are the backend's (backend/src/catalog/providers.ts).
import type { AddProviderCredentialInput } from './graphql/generated';

export interface ProviderChoice {
  readonly id: string;
  readonly name: string;
  /** What the secret field is called for this provider. */
  readonly secretLabel: string;
  /** Fields besides the secret it must have. */
  readonly needs: readonly ('baseUrl' | 'region' | 'accessKeyId')[];
  /** Optional fields worth offering. */
  readonly offers: readonly ('baseUrl' | 'apiVersion')[];
}

const hosted = (id: string, name: string): ProviderChoice => ({
  id,
  name,
  secretLabel: 'API key',
  needs: [],
  offers: ['baseUrl'],
});
const selfHosted = (id: string, name: string): ProviderChoice => ({
  id,
  name,
  secretLabel: 'API key',
  needs: ['baseUrl'],
  offers: [],
});

export const PROVIDER_CHOICES: readonly ProviderChoice[] = [
  hosted('openai', 'OpenAI'),
  hosted('anthropic', 'Anthropic'),
  hosted('gemini', 'Google Gemini'),
  {
    id: 'bedrock',
    name: 'AWS Bedrock',
    secretLabel: 'AWS secret access key',
    needs: ['accessKeyId', 'region'],
    offers: ['baseUrl'],
  },
  { id: 'azure', name: 'Azure OpenAI', secretLabel: 'API key', needs: ['baseUrl'], offers: ['apiVersion'] },
  hosted('mistral', 'Mistral'),
  hosted('cohere', 'Cohere'),
  hosted('groq', 'Groq'),
  hosted('together', 'Together AI'),
  hosted('fireworks', 'Fireworks AI'),
  hosted('deepseek', 'DeepSeek'),
  hosted('xai', 'xAI'),
  hosted('openrouter', 'OpenRouter'),
  hosted('perplexity', 'Perplexity'),
  selfHosted('ollama', 'Ollama'),
  selfHosted('vllm', 'vLLM'),
  selfHosted('lmstudio', 'LM Studio'),
];

/** A small, cheap model of each hosted provider to test a credential with (its name on the provider's wire). */
const TEST_MODELS: Readonly<Record<string, string>> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  gemini: 'gemini-2.0-flash',
  bedrock: 'anthropic.claude-3-haiku-20240307-v1:0',
  mistral: 'mistral-small-latest',
  cohere: 'command-r',
  groq: 'llama-3.1-8b-instant',
  together: 'meta-llama/Llama-3.2-3B-Instruct-Turbo',
  fireworks: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
  deepseek: 'deepseek-chat',
  xai: 'grok-3-mini',
  openrouter: 'openai/gpt-4o-mini',
  perplexity: 'sonar',
};

/** The model a credential test suggests; blank where only the owner knows (Azure deployments, self-hosted). */
export function suggestedTestModel(provider: string): string {
  return TEST_MODELS[provider] ?? '';
}

/** The choice for a provider id; an unknown id (stored by a newer version) shows as itself. */
export function providerChoice(id: string): ProviderChoice {
  return PROVIDER_CHOICES.find((p) => p.id === id) ?? { ...hosted(id, id), offers: [] };
}

/** What the add form holds: every field as typed. */
export interface CredentialForm {
  provider: string;
  label: string;
  secret: string;
  accessKeyId: string;
  baseUrl: string;
  region: string;
  apiVersion: string;
  weight: number;
}

/** The form as the mutation's input: only the fields its provider uses, blanks left out. */
export function credentialInput(form: CredentialForm): AddProviderCredentialInput {
  const choice = providerChoice(form.provider);
  const uses = new Set<string>([...choice.needs, ...choice.offers]);
  const optional = (field: 'accessKeyId' | 'baseUrl' | 'region' | 'apiVersion') =>
    uses.has(field) && form[field].trim() ? { [field]: form[field].trim() } : {};
  return {
    provider: form.provider,
    label: form.label.trim(),
    secret: form.secret.trim(),
    weight: form.weight,
    ...optional('accessKeyId'),
    ...optional('baseUrl'),
    ...optional('region'),
    ...optional('apiVersion'),
  };
}

/** `•••• abcd`, or `••••` when the secret was too short to show any of it. */
export const maskedSecret = (last4: string): string => (last4 ? `•••• ${last4}` : '••••');
