import { readBody, UpstreamHttp } from '../http/upstream-http';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../upstream';

/**
 * Cohere's Chat API v2 transport: `POST {baseUrl}/chat` (the base URL includes `/v2`, e.g.
 * `https://api.cohere.com/v2`) with `Authorization: Bearer <apiKey>`. A stream (`"stream": true`
 * in the body) comes back as raw SSE bytes; errors (`{"id", "message"}`) are thrown as
 * ProviderError with Cohere's status and body.
 */
export class CohereAdapter implements ProviderAdapter {
  readonly id = 'cohere';
  readonly format = 'cohere-chat' as const;

  constructor(private readonly http: UpstreamHttp) {}

  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { credential } = request;
    const post = {
      url: new URL(`${credential.baseUrl.replace(/\/+$/, '')}/chat`),
      provider: this.id,
      format: this.format,
      signal: request.signal,
      secrets: [credential.apiKey],
      headers: {
        'content-type': 'application/json',
        accept: request.stream ? 'text/event-stream' : 'application/json',
        ...(credential.apiKey ? { authorization: `Bearer ${credential.apiKey}` } : {}),
      },
      body: request.rawBody ?? JSON.stringify(request.body),
    };
    const answer = await this.http.post(post);
    if (request.stream && answer.contentType.startsWith('text/event-stream')) {
      return { kind: 'sse', status: answer.status, headers: answer.headers, bytes: answer.body };
    }
    return {
      kind: 'json',
      status: answer.status,
      headers: answer.headers,
      body: await readBody(answer, post),
    };
  }
}
