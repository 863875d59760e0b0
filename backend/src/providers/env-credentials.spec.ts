import { ConfigError } from '../config/config-error';
import { configureHint, providerInfo } from '../catalog/providers';
import { EnvCredentialSource, MOCK_CREDENTIAL, parseEnvCredentials } from './env-credentials';

const source = (env: NodeJS.ProcessEnv) => new EnvCredentialSource(parseEnvCredentials(env));

describe('instance credentials from the environment', () => {
  it('configures nothing but the mock when nothing is set', () => {
    const credentials = parseEnvCredentials({});
    expect([...credentials.keys()]).toEqual(['mock']);
    expect(source({}).forProject('p1', 'mock')).toEqual([MOCK_CREDENTIAL]);
    expect(source({}).forProject('p1', 'openai')).toEqual([]);
  });

  it('reads a key with the provider default base URL, or an overridden one', () => {
    expect(source({ ANTHROPIC_API_KEY: 'sk-ant-1' }).forProject('p', 'anthropic')).toEqual([
      { id: 'env:anthropic', baseUrl: 'https://api.anthropic.com/v1', apiKey: 'sk-ant-1', weight: 1 },
    ]);
    expect(
      source({ GROQ_API_KEY: 'gsk', GROQ_BASE_URL: 'http://127.0.0.1:9/openai/v1/' }).forProject('p', 'groq'),
    ).toEqual([{ id: 'env:groq', baseUrl: 'http://127.0.0.1:9/openai/v1', apiKey: 'gsk', weight: 1 }]);
  });

  it('takes a base URL alone (a compatible server without auth, a self-hosted model)', () => {
    expect(source({ OPENAI_BASE_URL: 'http://127.0.0.1:8/v1' }).forProject('p', 'openai')).toEqual([
      { id: 'env:openai', baseUrl: 'http://127.0.0.1:8/v1' },
    ]);
    expect(source({ OLLAMA_BASE_URL: 'http://localhost:11434/v1' }).forProject('p', 'ollama')).toHaveLength(
      1,
    );
    expect(() => parseEnvCredentials({ OLLAMA_API_KEY: 'x' })).toThrow(
      'OLLAMA_BASE_URL is needed to use Ollama',
    );
  });

  it('splits several keys with weights, ids never showing a key', () => {
    const keys = source({ OPENAI_API_KEY: 'sk-a:3, sk-b ,sk-c:1' }).forProject('p', 'openai');
    expect(keys.map((k) => [k.id, k.apiKey, k.weight])).toEqual([
      ['env:openai', 'sk-a', 3],
      ['env:openai:2', 'sk-b', 1],
      ['env:openai:3', 'sk-c', 1],
    ]);
    expect(() => parseEnvCredentials({ OPENAI_API_KEY: 'sk-a:0' })).toThrow(ConfigError);
  });

  it('prefers GEMINI_API_KEY over GOOGLE_API_KEY', () => {
    expect(source({ GOOGLE_API_KEY: 'g' }).forProject('p', 'gemini')[0].apiKey).toBe('g');
    expect(source({ GOOGLE_API_KEY: 'g', GEMINI_API_KEY: 'm' }).forProject('p', 'gemini')[0]).toMatchObject({
      apiKey: 'm',
      baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    });
  });

  it('reads AWS keys for Bedrock, with the region in the URL and the options', () => {
    const [bedrock] = source({
      AWS_ACCESS_KEY_ID: 'AKIA1',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-3',
    }).forProject('p', 'bedrock');
    expect(bedrock).toEqual({
      id: 'env:bedrock',
      baseUrl: 'https://bedrock-runtime.eu-west-3.amazonaws.com',
      apiKey: 'secret',
      options: { region: 'eu-west-3', accessKeyId: 'AKIA1' },
    });
    expect(() => parseEnvCredentials({ AWS_ACCESS_KEY_ID: 'AKIA1' })).toThrow(/AWS_SECRET_ACCESS_KEY/);
    expect(() =>
      parseEnvCredentials({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'mars' }),
    ).toThrow(/AWS_REGION/);
  });

  it('reads Azure OpenAI: endpoint, keys and API version', () => {
    const [azure] = source({
      AZURE_OPENAI_API_KEY: 'az',
      AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com/',
    }).forProject('p', 'azure');
    expect(azure).toEqual({
      id: 'env:azure',
      baseUrl: 'https://res.openai.azure.com',
      apiKey: 'az',
      weight: 1,
      options: { apiVersion: '2024-10-21' },
    });
    expect(() => parseEnvCredentials({ AZURE_OPENAI_API_KEY: 'az' })).toThrow(/AZURE_OPENAI_ENDPOINT/);
  });

  it('refuses a base URL that is not an http(s) URL', () => {
    expect(() => parseEnvCredentials({ MISTRAL_BASE_URL: 'api.mistral.ai' })).toThrow(
      /MISTRAL_BASE_URL must be a URL/,
    );
    expect(() => parseEnvCredentials({ VLLM_BASE_URL: 'ftp://x' })).toThrow(/http\(s\)/);
  });

  it('names what to set for a provider that is not configured', () => {
    expect(configureHint(providerInfo('anthropic')!)).toBe(
      'set ANTHROPIC_API_KEY or add an Anthropic key in Settings → Providers',
    );
    expect(configureHint(providerInfo('gemini')!)).toBe(
      'set GEMINI_API_KEY (or GOOGLE_API_KEY) or add a Google Gemini key in Settings → Providers',
    );
    expect(configureHint(providerInfo('ollama')!)).toBe(
      'set OLLAMA_BASE_URL or add an Ollama key in Settings → Providers',
    );
  });
});
