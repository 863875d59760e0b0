import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { ProviderError } from '../../common/errors';
import { abortError } from '../../common/abort';

/** Response headers a caller may need from a provider: request ids (Azure's `apim-request-id`), timing, rate limits, back-off. */
const PASSED_HEADER =
  /^(x-request-id|request-id|apim-request-id|openai-processing-ms|openai-version|x-ratelimit-[a-z0-9-]+|anthropic-ratelimit-[a-z0-9-]+|x-amzn-requestid|x-amzn-errortype|retry-after(-ms)?)$/;

export interface UpstreamPost {
  /** Full URL of the endpoint. */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  readonly signal: AbortSignal;
  /** Provider id for messages (`Could not reach openai at …`). */
  readonly provider: string;
  /** The wire format of the provider's error bodies (recorded on `ProviderError.providerBody`). */
  readonly format: string;
  /** Secrets to blank out of anything the provider echoes back (its API key). */
  readonly secrets?: readonly (string | undefined)[];
}

export interface UpstreamAnswer {
  readonly status: number;
  /** The {@link PASSED_HEADER passed} response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  /** Unread: the caller reads it (or it is cancelled with the signal). */
  readonly body: Dispatcher.ResponseData['body'];
}

/**
 * HTTP to providers over one keep-alive connection pool per origin (undici `Agent` + `request`,
 * no WHATWG streams on the hot path). A 2xx answer comes back unread; anything else is thrown as
 * `ProviderError` with the provider's body and retry hints; a network failure as
 * `provider_unreachable`; the caller's abort as the signal's reason.
 */
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly agent = new Agent({
    keepAliveTimeout: 30_000,
    connections: 512,
    // The route's timeouts (the gateway's) govern; undici's own would cut long streams.
    headersTimeout: 0,
    bodyTimeout: 0,
  });

  async post(call: UpstreamPost): Promise<UpstreamAnswer> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({
        origin: call.url.origin,
        path: call.url.pathname + call.url.search,
        method: 'POST',
        headers: call.headers,
        body: call.body,
        signal: call.signal,
      });
    } catch (error) {
      throw failure(call, error, false);
    }
    const headers = passedHeaders(response.headers);
    const contentType = String(response.headers['content-type'] ?? '');
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { status: response.statusCode, headers, contentType, body: response.body };
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw failure(call, error, true);
    }
    throw new ProviderError(
      redact(errorMessage(text) || `HTTP ${response.statusCode}`, call.secrets),
      response.statusCode,
      'provider_error',
      headers,
      { format: call.format, text: redact(text, call.secrets) },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

/** Endpoints by base URL and path; credentials are few, the bound is a safety net. */
const ENDPOINTS = new Map<string, URL>();
const MAX_ENDPOINTS = 1024;

/**
 * `{baseUrl}{path}` with the base URL's trailing slashes dropped, parsed once per endpoint rather than
 * per call: the same URL object each time, which a post only reads (never change it; `under` makes
 * one to change). Throws like `new URL` on a malformed base URL.
 */
export function endpointUrl(baseUrl: string, path: string): URL {
  const id = `${baseUrl}\u0000${path}`;
  let url = ENDPOINTS.get(id);
  if (!url) {
    url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
    if (ENDPOINTS.size >= MAX_ENDPOINTS) ENDPOINTS.clear();
    ENDPOINTS.set(id, url);
  }
  return url;
}

/** Reads a whole (2xx) body; a cut connection is `provider_unreachable`. */
export async function readBody(
  answer: UpstreamAnswer,
  call: Pick<UpstreamPost, 'provider' | 'url' | 'signal'>,
): Promise<Buffer> {
  try {
    return Buffer.from(await answer.body.arrayBuffer());
  } catch (error) {
    throw failure(call, error, true);
  }
}

/** Maps what undici throws (or a body read throws) to what a provider adapter throws. */
export function failure(
  call: Pick<UpstreamPost, 'provider' | 'url' | 'signal'>,
  error: unknown,
  connected: boolean,
): Error {
  if (error instanceof ProviderError) return error;
  if (call.signal.aborted) return abortError(call.signal);
  const where = `${call.provider} at ${call.url.origin}`;
  return new ProviderError(
    connected
      ? `Connection to ${where} lost: ${describe(error)}`
      : `Could not reach ${where}: ${describe(error)}`,
    null,
    'provider_unreachable',
  );
}

function passedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && PASSED_HEADER.test(name))
      passed[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return passed;
}

/** The `message` of an error body in the common shapes (`{"error":{"message"}}`, `{"message"}`), else a snippet. */
function errorMessage(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return snippet(text);
  }
  const record = (json ?? {}) as { error?: unknown; message?: unknown };
  const error = record.error as { message?: unknown } | string | undefined;
  if (typeof error === 'object' && error !== null && typeof error.message === 'string' && error.message) {
    return error.message;
  }
  if (typeof error === 'string' && error) return error;
  if (typeof record.message === 'string' && record.message) return record.message;
  return snippet(text);
}

function snippet(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}

function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  return secrets.reduce<string>((out, secret) => (secret ? out.split(secret).join('[redacted]') : out), text);
}

/** A short reason for a network failure, with its code (ECONNREFUSED...) when there is one. */
function describe(error: unknown): string {
  // Duck-typed: errors from another realm (e.g. under jest) fail `instanceof Error`.
  const { message, code, cause } = (error ?? {}) as { message?: unknown; code?: unknown; cause?: unknown };
  const inner = (cause ?? {}) as { message?: unknown; code?: unknown };
  const text =
    typeof inner.message === 'string' ? inner.message : typeof message === 'string' ? message : String(error);
  const errorCode = typeof inner.code === 'string' ? inner.code : typeof code === 'string' ? code : undefined;
  return errorCode && !text.includes(errorCode) ? `${errorCode} (${text})` : text;
}
