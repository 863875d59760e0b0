import type { ProviderAdapter, ProviderCredential, UpstreamRequest, UpstreamResponse } from '../upstream';
import { readBody, UpstreamHttp, type UpstreamPost } from '../http/upstream-http';

/** The API version Sightline speaks when the caller names none (Anthropic's current and only one). */
export const ANTHROPIC_VERSION = '2023-06-01';

/** `{ input_tokens }`, the answer of `POST /v1/messages/count_tokens`. */
export interface AnthropicTokenCount {
  readonly input_tokens: number;
  readonly [field: string]: unknown;
}

/**
 * Anthropic's Messages transport: `POST {baseUrl}/v1/messages` (`/v1` added unless the base URL
 * ends with it) with `x-api-key` and `anthropic-version` (the caller's, else 2023-06-01); the
 * caller's `anthropic-beta` passes on a same-format call. The caller's raw bytes are sent when
 * given; a stream comes back as raw SSE bytes. A non-2xx answer is thrown as `ProviderError` with
 * Anthropic's body (`{type:'error', error:{type, message}}`), `request-id`, `retry-after` and the
 * `anthropic-ratelimit-*` headers.
 */
export class AnthropicAdapter implements ProviderAdapter {
  readonly id = 'anthropic';
  readonly format = 'anthropic-messages' as const;

  constructor(private readonly http: UpstreamHttp) {}

  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const post = this.post('/messages', request, request.rawBody ?? JSON.stringify(request.body));
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

  /** `POST {baseUrl}/v1/messages/count_tokens` with an Anthropic body (`model` already the wire name). */
  async countTokens(
    request: Pick<UpstreamRequest, 'credential' | 'headers' | 'signal'> & { readonly body: Buffer | string },
  ): Promise<{ headers: Readonly<Record<string, string>>; count: AnthropicTokenCount }> {
    const post = this.post('/messages/count_tokens', { ...request, stream: false }, request.body);
    const answer = await this.http.post(post);
    const count = JSON.parse((await readBody(answer, post)).toString('utf8')) as AnthropicTokenCount;
    return { headers: answer.headers, count };
  }

  private post(
    path: string,
    request: Pick<UpstreamRequest, 'credential' | 'headers' | 'signal' | 'stream'>,
    body: Buffer | string,
  ): UpstreamPost {
    const { credential, headers } = request;
    return {
      url: new URL(`${messagesBase(credential)}${path}`),
      provider: this.id,
      format: this.format,
      signal: request.signal,
      secrets: [credential.apiKey],
      headers: {
        ...(headers['anthropic-beta'] ? { 'anthropic-beta': headers['anthropic-beta'] } : {}),
        'anthropic-version': headers['anthropic-version'] || ANTHROPIC_VERSION,
        'content-type': 'application/json',
        accept: request.stream ? 'text/event-stream' : 'application/json',
        ...(credential.apiKey ? { 'x-api-key': credential.apiKey } : {}),
      },
      body,
    };
  }
}

/** `https://api.anthropic.com` and `https://api.anthropic.com/v1` both mean `…/v1`. */
function messagesBase(credential: ProviderCredential): string {
  const base = credential.baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? base : `${base}/v1`;
}
