import {
  EventStreamCodec,
  getChunkedStream,
  MessageDecoderStream,
  type Message,
} from '@smithy/core/event-streams';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { ProviderError } from '../../common/errors';
import {
  failure,
  readBody,
  UpstreamHttp,
  type UpstreamAnswer,
  type UpstreamPost,
} from '../http/upstream-http';
import type { ProviderAdapter, ProviderCredential, UpstreamRequest, UpstreamResponse } from '../upstream';
import type { WireEvent } from '../wire/wire-format';

/** Status AWS documents for each exception a ConverseStream can carry mid-stream. */
const STREAM_EXCEPTION_STATUS: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ThrottlingException: 429,
  ModelStreamErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};
const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

interface Signer {
  readonly key: string;
  readonly signer: SignatureV4;
}

/**
 * AWS Bedrock Runtime's Converse transport: `POST {baseUrl}/model/{modelId}/converse` (or
 * `/converse-stream`), signed with SigV4 (service `bedrock`) by the AWS SDK's own signer. The
 * credential carries the secret access key as `apiKey` and `options.accessKeyId`, `options.region`
 * (default us-east-1) and optionally `options.sessionToken`.
 *
 * Why the signer and not the SDK client: the call goes through the gateway's keep-alive undici pool
 * like every other provider (no second HTTP stack, no SDK middleware per call), the body is sent and
 * read as bytes (nothing re-serialized on the way), and the provider's headers and error body reach
 * the caller as AWS sent them. The stream (`application/vnd.amazon.eventstream`) is split and
 * checksum-verified by the SDK's event-stream codec into `{ event: <:event-type>, data: <payload> }`;
 * an exception message inside it (`:message-type: exception`) is thrown as a ProviderError.
 *
 * Errors: non-2xx → ProviderError whose message starts with AWS's error type (`x-amzn-errortype`,
 * e.g. `ThrottlingException: ...`), with status, headers and body.
 */
export class BedrockAdapter implements ProviderAdapter {
  readonly id = 'bedrock';
  readonly format = 'bedrock-converse' as const;
  /** One signer per credential (it caches its derived signing keys). */
  private readonly signers = new Map<string, Signer>();

  constructor(private readonly http: UpstreamHttp) {}

  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { credential } = request;
    const operation = request.stream ? 'converse-stream' : 'converse';
    const base = credential.baseUrl.replace(/\/+$/, '');
    const url = new URL(`${base}/model/${encodeURIComponent(request.model)}/${operation}`);
    const body = request.rawBody ?? Buffer.from(JSON.stringify(request.body));
    const post: UpstreamPost = {
      url,
      provider: this.id,
      format: this.format,
      signal: request.signal,
      secrets: [credential.apiKey, credential.options?.sessionToken],
      headers: await this.sign(credential, url, body, request.stream),
      body,
    };
    let answer: UpstreamAnswer;
    try {
      answer = await this.http.post(post);
    } catch (error) {
      throw withErrorType(error);
    }
    if (request.stream) {
      return {
        kind: 'events',
        status: answer.status,
        headers: answer.headers,
        events: decodeEvents(answer, post),
      };
    }
    return {
      kind: 'json',
      status: answer.status,
      headers: answer.headers,
      body: await readBody(answer, post),
    };
  }

  private async sign(
    credential: ProviderCredential,
    url: URL,
    body: Buffer,
    stream: boolean,
  ): Promise<Record<string, string>> {
    const signed = await this.signerFor(credential).sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/json',
        accept: stream ? 'application/vnd.amazon.eventstream' : 'application/json',
      },
      body,
    });
    return signed.headers;
  }

  private signerFor(credential: ProviderCredential): SignatureV4 {
    const { accessKeyId, region = 'us-east-1', sessionToken } = credential.options ?? {};
    const secretAccessKey = credential.apiKey;
    if (!accessKeyId || !secretAccessKey) {
      throw new ProviderError(
        `Bedrock credential ${credential.id} needs an access key id and a secret access key`,
        null,
        'provider_error',
      );
    }
    const key = [accessKeyId, secretAccessKey, sessionToken ?? '', region].join('\u0000');
    const cached = this.signers.get(credential.id);
    if (cached?.key === key) return cached.signer;
    const signer = new SignatureV4({
      service: 'bedrock',
      region,
      credentials: { accessKeyId, secretAccessKey, sessionToken },
      sha256: Hash.bind(null, 'sha256'),
    });
    this.signers.set(credential.id, { key, signer });
    return signer;
  }
}

/** `ThrottlingException: Too many requests` from the `x-amzn-errortype` header AWS sends. */
function withErrorType(error: unknown): unknown {
  if (!(error instanceof ProviderError)) return error;
  const type = error.providerHeaders['x-amzn-errortype']?.split(':')[0];
  if (!type) return error;
  return new ProviderError(
    `${type}: ${error.message}`,
    error.providerStatus,
    error.errorClass,
    error.providerHeaders,
    error.providerBody,
  );
}

/** The binary event stream as decoded events; a cut connection or a stream exception throws. */
async function* decodeEvents(answer: UpstreamAnswer, post: UpstreamPost): AsyncGenerator<WireEvent> {
  const messages = new MessageDecoderStream({ inputStream: getChunkedStream(answer.body), decoder: codec });
  try {
    for await (const message of messages) yield eventOf(message);
  } catch (error) {
    throw failure(post, error, true);
  } finally {
    // Also reached when the consumer stops early: cancels the HTTP request.
    answer.body.destroy();
  }
}

function eventOf(message: Message): WireEvent {
  const text = Buffer.from(message.body).toString('utf8');
  const header = (name: string): string => String(message.headers[name]?.value ?? '');
  switch (header(':message-type')) {
    case 'event':
      return { event: header(':event-type'), data: JSON.parse(text) as unknown };
    case 'exception': {
      // `:exception-type` is the union member name (`throttlingException`); the error type is its Pascal case.
      const member = header(':exception-type');
      const type = member.charAt(0).toUpperCase() + member.slice(1);
      const body = JSON.parse(text) as { message?: unknown };
      return streamFailure(type, String(body.message ?? text), STREAM_EXCEPTION_STATUS[type] ?? 500, text);
    }
    default:
      return streamFailure(header(':error-code'), header(':error-message'), 500, text);
  }
}

function streamFailure(type: string, message: string, status: number, text: string): never {
  throw new ProviderError(
    `${type}: ${message}`,
    status,
    'provider_error',
    { 'x-amzn-errortype': type },
    {
      format: 'bedrock-converse',
      text,
    },
  );
}
