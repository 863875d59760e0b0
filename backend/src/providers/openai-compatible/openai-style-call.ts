import { mergeHeaders } from '../../common/merge-headers';
import { readBody, type UpstreamHttp } from '../http/upstream-http';
import type { UpstreamRequest, UpstreamResponse } from '../upstream';
import type { WireFormatId } from '../wire/wire-format';

/** Who is called, for messages and error bodies. */
export interface OpenAiStyleTarget {
  readonly provider: string;
  readonly format: WireFormatId;
  readonly url: URL;
  /** Authentication headers (`authorization`, Azure's `api-key`...). */
  readonly auth: Readonly<Record<string, string>>;
}

/**
 * One POST to a server framed like OpenAI: JSON in, JSON or SSE out. The caller's raw bytes are
 * sent when given (same-format passthrough); a stream comes back as raw SSE bytes. Errors are the
 * `ProviderError`s of `UpstreamHttp` (the provider's body and retry hints, the key blanked out).
 */
export async function callOpenAiStyle(
  http: UpstreamHttp,
  target: OpenAiStyleTarget,
  request: UpstreamRequest,
): Promise<UpstreamResponse> {
  const post = {
    url: target.url,
    provider: target.provider,
    format: target.format,
    signal: request.signal,
    secrets: [request.credential.apiKey],
    headers: mergeHeaders(
      request.headers,
      {
        'content-type': 'application/json',
        accept: request.stream ? 'text/event-stream' : 'application/json',
      },
      target.auth,
    ),
    body: request.rawBody ?? JSON.stringify(request.body),
  };
  const answer = await http.post(post);
  if (request.stream && answer.contentType.startsWith('text/event-stream'))
    return { kind: 'sse', status: answer.status, headers: answer.headers, bytes: answer.body };
  return { kind: 'json', status: answer.status, headers: answer.headers, body: await readBody(answer, post) };
}

/** `{baseUrl}{path}` with the base URL's trailing slashes dropped. */
export function under(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
}

export function bearer(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}
