import { endpointUrl, type UpstreamHttp } from '../http/upstream-http';
import { bearer, callOpenAiStyle } from '../openai-compatible/openai-style-call';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../upstream';

/**
 * Mistral's transport: `POST {baseUrl}/chat/completions` (or `/embeddings`) with
 * `Authorization: Bearer <apiKey>`, base URL `https://api.mistral.ai/v1`. Bodies are in the
 * `mistral-chat` format (the translator applies Mistral's rules); streams are OpenAI-framed SSE.
 */
export class MistralAdapter implements ProviderAdapter {
  readonly id = 'mistral';
  readonly format = 'mistral-chat' as const;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly operation: 'chat/completions' | 'embeddings' = 'chat/completions',
  ) {}

  call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { credential } = request;
    return callOpenAiStyle(
      this.http,
      {
        provider: this.id,
        format: this.format,
        url: endpointUrl(credential.baseUrl, `/${this.operation}`),
        auth: bearer(credential.apiKey),
      },
      request,
    );
  }
}
