import { endpointUrl, type UpstreamHttp } from '../http/upstream-http';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../upstream';
import { bearer, callOpenAiStyle } from './openai-style-call';

/**
 * OpenAI's Responses API transport: `POST {baseUrl}/responses` with `Authorization: Bearer <key>`.
 * A Responses caller's bytes pass through unchanged; streams come back as raw SSE bytes.
 */
export class OpenAiResponsesAdapter implements ProviderAdapter {
  readonly format = 'openai-responses' as const;

  constructor(
    private readonly http: UpstreamHttp,
    readonly id = 'openai',
  ) {}

  call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { credential } = request;
    return callOpenAiStyle(
      this.http,
      {
        provider: this.id,
        format: this.format,
        url: endpointUrl(credential.baseUrl, '/responses'),
        auth: bearer(credential.apiKey),
      },
      request,
    );
  }
}
