import { Inject, Injectable } from '@nestjs/common';
import { AzureOpenAiAdapter } from '../../providers/azure/azure-openai.adapter';
import { UpstreamHttp } from '../../providers/http/upstream-http';
import { MistralAdapter } from '../../providers/mistral/mistral.adapter';
import { OPENAI_COMPATIBLE_PRESETS } from '../../providers/openai-compatible/presets';
import { OpenAiAdapter } from '../../providers/openai/openai.adapter';
import type { ProviderAdapter } from '../../providers/upstream';
import { MockEmbeddingsAdapter } from './mock-embeddings.adapter';

/** Provider id → its `/embeddings` transport. Providers not listed serve no embeddings. */
const EMBEDDINGS: Readonly<Record<string, (http: UpstreamHttp) => ProviderAdapter>> = {
  openai: (http) => new OpenAiAdapter(http, { path: '/embeddings' }),
  azure: (http) => new AzureOpenAiAdapter(http, 'embeddings'),
  mistral: (http) => new MistralAdapter(http, 'embeddings'),
  mock: () => new MockEmbeddingsAdapter(),
  ...Object.fromEntries(
    OPENAI_COMPATIBLE_PRESETS.filter((preset) => preset.embeddings).map((preset) => [
      preset.id,
      (http: UpstreamHttp) => new OpenAiAdapter(http, { id: preset.id, path: '/embeddings' }),
    ]),
  ),
};

/** The embeddings transports of this instance, built once. */
@Injectable()
export class EmbeddingTransports {
  private readonly byProvider: ReadonlyMap<string, ProviderAdapter>;

  constructor(@Inject(UpstreamHttp) http: UpstreamHttp) {
    this.byProvider = new Map(Object.entries(EMBEDDINGS).map(([id, build]) => [id, build(http)]));
  }

  /** The transport to `provider`'s embeddings, or undefined when it serves none. */
  get(provider: string): ProviderAdapter | undefined {
    return this.byProvider.get(provider);
  }
}
