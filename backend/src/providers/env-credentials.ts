import { PROVIDERS, type ProviderInfo } from '../catalog/providers';
import { ConfigError } from '../config/config-error';
import { CredentialSource } from './credentials';
import type { ProviderCredential } from './upstream';

/** Provider id → the instance's credentials for it (several: load balanced by weight). */
export type EnvCredentials = ReadonlyMap<string, readonly ProviderCredential[]>;

/** The built-in mock needs no configuration: it is always there. */
export const MOCK_CREDENTIAL: ProviderCredential = { id: 'builtin:mock', baseUrl: 'builtin:mock' };

const DEFAULT_AZURE_API_VERSION = '2024-10-21';
const DEFAULT_AWS_REGION = 'us-east-1';

/**
 * The instance's provider credentials from its environment (see the README's table). A provider is
 * configured when one of its key variables or its base-URL variable is set. Several keys are
 * comma-separated, each with an optional `:weight` (`OPENAI_API_KEY=sk-a:3,sk-b` sends 3 of 4 calls
 * to `sk-a`). Credential ids are `env:<provider>` (`env:<provider>:2`... for more keys); keys never
 * appear in ids. Throws `ConfigError` on a malformed value.
 */
export function parseEnvCredentials(env: NodeJS.ProcessEnv): EnvCredentials {
  const found = new Map<string, readonly ProviderCredential[]>([['mock', [MOCK_CREDENTIAL]]]);
  for (const provider of PROVIDERS) {
    const credentials = credentialsOf(provider, env);
    if (credentials.length) found.set(provider.id, credentials);
  }
  return found;
}

function credentialsOf(provider: ProviderInfo, env: NodeJS.ProcessEnv): ProviderCredential[] {
  if (provider.id === 'bedrock') return bedrock(env);
  if (provider.id === 'azure') return azure(env);
  const spec = provider.env;
  if (!spec) return [];
  const keyVar = spec.keys.find((name) => value(env, name));
  const baseUrlSet = value(env, spec.baseUrl);
  if (!keyVar && !baseUrlSet) return [];
  const baseUrl = requiredUrl(spec.baseUrl, baseUrlSet ?? spec.defaultBaseUrl, provider);
  if (!keyVar) return [{ id: `env:${provider.id}`, baseUrl }];
  return weightedKeys(keyVar, value(env, keyVar)!).map((key, i) => ({
    id: i === 0 ? `env:${provider.id}` : `env:${provider.id}:${i + 1}`,
    baseUrl,
    apiKey: key.apiKey,
    weight: key.weight,
  }));
}

/** One set of AWS keys; the adapter signs with SigV4 for `region`. */
function bedrock(env: NodeJS.ProcessEnv): ProviderCredential[] {
  const accessKeyId = value(env, 'AWS_ACCESS_KEY_ID');
  const secret = value(env, 'AWS_SECRET_ACCESS_KEY');
  if (!accessKeyId && !secret) return [];
  if (!accessKeyId || !secret)
    throw new ConfigError('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are needed together for Bedrock');
  const region = value(env, 'AWS_REGION') ?? value(env, 'AWS_DEFAULT_REGION') ?? DEFAULT_AWS_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new ConfigError(`AWS_REGION is not a region: "${region}"`);
  const sessionToken = value(env, 'AWS_SESSION_TOKEN');
  return [
    {
      id: 'env:bedrock',
      baseUrl: checkedUrl('BEDROCK_BASE_URL', value(env, 'BEDROCK_BASE_URL') ?? bedrockUrl(region)),
      apiKey: secret,
      options: { region, accessKeyId, ...(sessionToken ? { sessionToken } : {}) },
    },
  ];
}

const bedrockUrl = (region: string): string => `https://bedrock-runtime.${region}.amazonaws.com`;

/** Azure's endpoint is the resource (`https://<resource>.openai.azure.com`); deployments are model names. */
function azure(env: NodeJS.ProcessEnv): ProviderCredential[] {
  const keys = value(env, 'AZURE_OPENAI_API_KEY');
  const endpoint = value(env, 'AZURE_OPENAI_ENDPOINT');
  if (!keys && !endpoint) return [];
  if (!endpoint) throw new ConfigError('AZURE_OPENAI_ENDPOINT is needed with AZURE_OPENAI_API_KEY');
  const baseUrl = checkedUrl('AZURE_OPENAI_ENDPOINT', endpoint);
  const options = { apiVersion: value(env, 'AZURE_OPENAI_API_VERSION') ?? DEFAULT_AZURE_API_VERSION };
  if (!keys) return [{ id: 'env:azure', baseUrl, options }];
  return weightedKeys('AZURE_OPENAI_API_KEY', keys).map((key, i) => ({
    id: i === 0 ? 'env:azure' : `env:azure:${i + 1}`,
    baseUrl,
    apiKey: key.apiKey,
    weight: key.weight,
    options,
  }));
}

/** `sk-a:3, sk-b` → `[{ sk-a, 3 }, { sk-b, 1 }]`. */
function weightedKeys(name: string, raw: string): { apiKey: string; weight: number }[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(.*):(\d+)$/.exec(part);
      if (!match) return { apiKey: part, weight: 1 };
      const weight = Number(match[2]);
      if (!match[1] || weight < 1 || weight > 1000)
        throw new ConfigError(`${name}: a key's weight must be 1–1000 (key:weight), got ":${match[2]}"`);
      return { apiKey: match[1], weight };
    });
}

function requiredUrl(name: string, raw: string | undefined, provider: ProviderInfo): string {
  if (!raw) throw new ConfigError(`${name} is needed to use ${provider.name}`);
  return checkedUrl(name, raw);
}

/** An http(s) URL without a trailing slash. */
function checkedUrl(name: string, raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/**
 * The instance's own credentials, the same for every project. A per-project source composes on
 * top of it (a project's key wins) by asking it for what the project did not set.
 */
export class EnvCredentialSource extends CredentialSource {
  constructor(private readonly credentials: EnvCredentials) {
    super();
  }

  forProject(_projectId: string, provider: string): readonly ProviderCredential[] {
    return this.credentials.get(provider) ?? [];
  }
}
