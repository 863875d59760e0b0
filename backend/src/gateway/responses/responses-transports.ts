import { Inject, Injectable } from '@nestjs/common';
import { AzureOpenAiAdapter } from '../../providers/azure/azure-openai.adapter';
import { UpstreamHttp } from '../../providers/http/upstream-http';
import { OpenAiResponsesAdapter } from '../../providers/openai-compatible/openai-responses.adapter';
import type { ProviderAdapter } from '../../providers/upstream';

/**
 * Providers that serve the Responses API themselves: a Responses call to their models passes
 * through unchanged (built-in tools, `previous_response_id`, `store` kept). Every other provider is
 * reached through the translator (Responses → hub → its format).
 */
@Injectable()
export class ResponsesTransports {
  private readonly byProvider: ReadonlyMap<string, ProviderAdapter>;

  constructor(@Inject(UpstreamHttp) http: UpstreamHttp) {
    this.byProvider = new Map<string, ProviderAdapter>([
      ['openai', new OpenAiResponsesAdapter(http)],
      ['azure', new AzureOpenAiAdapter(http, 'responses')],
    ]);
  }

  get(provider: string): ProviderAdapter | undefined {
    return this.byProvider.get(provider);
  }
}
