import { ProviderError } from '../../common/errors';
import { readBody, UpstreamHttp } from '../http/upstream-http';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../upstream';

/** A base URL that already names the API version (`…/v1beta`, `…/v1`, `…/v1alpha`). */
const VERSIONED = /\/v\d+(alpha|beta)?\d*$/;

/**
 * Google's Gemini API transport (Generative Language): `POST {baseUrl}/models/{model}:generateContent`,
 * or `:streamGenerateContent?alt=sse` for a stream (server-sent events, each a whole
 * `GenerateContentResponse`). The base URL names the version (`https://generativelanguage.googleapis.com/v1beta`;
 * one without a version gets `/v1beta`); a model given as a resource name (`tunedModels/x`) keeps it.
 * The API key goes in the `x-goog-api-key` header, never in the URL (which is logged). A 429's
 * `RetryInfo.retryDelay` (Google's back-off hint, in the body: it sends no header) becomes `retry-after`.
 */
export class GeminiAdapter implements ProviderAdapter {
  readonly id = 'gemini';
  readonly format = 'gemini' as const;

  constructor(private readonly http: UpstreamHttp) {}

  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { credential } = request;
    const post = {
      url: endpoint(credential.baseUrl, request.model, request.stream),
      provider: this.id,
      format: this.format,
      signal: request.signal,
      secrets: [credential.apiKey],
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        accept: request.stream ? 'text/event-stream' : 'application/json',
        ...(credential.apiKey ? { 'x-goog-api-key': credential.apiKey } : {}),
      },
      body: request.rawBody ?? JSON.stringify(request.body),
    };
    let answer;
    try {
      answer = await this.http.post(post);
    } catch (error) {
      throw withRetryAfter(error);
    }
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

/** `{base}/models/{model}:generateContent` or `…:streamGenerateContent?alt=sse`. */
export function endpoint(baseUrl: string, model: string, stream: boolean): URL {
  const base = baseUrl.replace(/\/+$/, '');
  const versioned = VERSIONED.test(new URL(base).pathname) ? base : `${base}/v1beta`;
  const resource = (model.includes('/') ? model : `models/${model}`)
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  return new URL(`${versioned}/${resource}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`);
}

/** Google's back-off hint (`RetryInfo.retryDelay`, a protobuf Duration such as `"7s"` or `"0.5s"`) as `retry-after` seconds. */
function withRetryAfter(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.providerHeaders['retry-after'] || !error.providerBody)
    return error;
  const seconds = retryDelaySeconds(error.providerBody.text);
  if (seconds === undefined) return error;
  return new ProviderError(
    error.message,
    error.providerStatus,
    error.errorClass,
    { ...error.providerHeaders, 'retry-after': String(Math.ceil(seconds)) },
    error.providerBody,
  );
}

function retryDelaySeconds(text: string): number | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as { '@type'?: unknown; retryDelay?: unknown }[]) {
    if (
      detail['@type'] !== 'type.googleapis.com/google.rpc.RetryInfo' ||
      typeof detail.retryDelay !== 'string'
    )
      continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay);
    if (match) return Number(match[1]);
  }
  return undefined;
}
