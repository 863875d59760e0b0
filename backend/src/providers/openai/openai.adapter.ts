import { mergeHeaders } from '../../common/merge-headers';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../upstream';
import { endpointUrl, readBody, UpstreamHttp } from '../http/upstream-http';

export interface OpenAiAdapterOptions {
  /** Provider id recorded on generations. Default `openai`; OpenAI-compatible servers pass theirs. */
  readonly id?: string;
  /** Path under the credential's base URL. Default `/chat/completions`. */
  readonly path?: string;
}

/**
 * OpenAI's Chat Completions transport (and any server speaking it): `POST {baseUrl}/chat/completions`
 * with `Authorization: Bearer <apiKey>`. The caller's raw bytes are sent when given (same-format
 * passthrough); a stream comes back as raw SSE bytes.
 */
export class OpenAiAdapter implements ProviderAdapter {
  readonly id: string;
  readonly format = 'openai-chat' as const;
  private readonly path: string;

  constructor(
    private readonly http: UpstreamHttp,
    options: OpenAiAdapterOptions = {},
  ) {
    this.id = options.id ?? 'openai';
    this.path = options.path ?? '/chat/completions';
  }

  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { credential } = request;
    const url = endpointUrl(credential.baseUrl, this.path);
    const post = {
      url,
      provider: this.id,
      format: this.format,
      signal: request.signal,
      secrets: [credential.apiKey],
      headers: mergeHeaders(
        request.headers,
        {
          'content-type': 'application/json',
          accept: request.stream ? 'text/event-stream' : 'application/json',
        },
        credential.apiKey ? { authorization: `Bearer ${credential.apiKey}` } : undefined,
      ),
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
