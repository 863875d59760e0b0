import type { AppConfig } from '../config/app-config';
import { AnthropicAdapter } from './anthropic/anthropic.adapter';
import { AzureOpenAiAdapter } from './azure/azure-openai.adapter';
import { BedrockAdapter } from './bedrock/bedrock.adapter';
import { CohereAdapter } from './cohere/cohere.adapter';
import type { UpstreamHttp } from './http/upstream-http';
import { GeminiAdapter } from './gemini/gemini.adapter';
import { MockAdapter } from './mock/mock.adapter';
import { MistralAdapter } from './mistral/mistral.adapter';
import { OpenAiAdapter } from './openai/openai.adapter';
import { OPENAI_COMPATIBLE_PRESETS } from './openai-compatible/presets';
import type { ProviderAdapter } from './upstream';

/** What an adapter may take from the instance when it is built. */
export interface AdapterContext {
  readonly config: AppConfig;
  /** The instance's keep-alive HTTP client to providers (undici), shared by the adapters. */
  readonly http: UpstreamHttp;
}

/**
 * Provider id (as in `catalog/providers.ts`) → its transport. One line per provider: a helper adding
 * an adapter appends its line here (conflicts are one-liners: keep both sides).
 */
export const ADAPTERS: Readonly<Record<string, (context: AdapterContext) => ProviderAdapter>> = {
  mock: ({ config }) => new MockAdapter({ tokenIntervalMs: config.mockTokenIntervalMs }),
  openai: ({ http }) => new OpenAiAdapter(http),
  anthropic: ({ http }) => new AnthropicAdapter(http),
  bedrock: ({ http }) => new BedrockAdapter(http),
  cohere: ({ http }) => new CohereAdapter(http),
  gemini: ({ http }) => new GeminiAdapter(http),
  azure: ({ http }) => new AzureOpenAiAdapter(http),
  mistral: ({ http }) => new MistralAdapter(http),
  ...Object.fromEntries(
    OPENAI_COMPATIBLE_PRESETS.map(({ id }) => [
      id,
      ({ http }: AdapterContext) => new OpenAiAdapter(http, { id }),
    ]),
  ),
};

/** The transports this instance can call, by provider id. Built once at start. */
export class ProviderAdapters {
  private readonly byId: ReadonlyMap<string, ProviderAdapter>;

  constructor(adapters: readonly ProviderAdapter[]) {
    this.byId = new Map(adapters.map((a) => [a.id, a]));
    if (this.byId.size !== adapters.length) throw new Error('two adapters share a provider id');
  }

  /** Every adapter in {@link ADAPTERS}, built for this instance; each must carry its key as `id`. */
  static fromRegistry(context: AdapterContext): ProviderAdapters {
    return new ProviderAdapters(
      Object.entries(ADAPTERS).map(([id, build]) => {
        const adapter = build(context);
        if (adapter.id !== id) throw new Error(`adapters.ts: '${id}' built an adapter for '${adapter.id}'`);
        return adapter;
      }),
    );
  }

  /** The transport to `provider`, or undefined when this build has none. */
  get(provider: string): ProviderAdapter | undefined {
    return this.byId.get(provider);
  }
}
