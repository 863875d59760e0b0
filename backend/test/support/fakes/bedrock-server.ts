/**
 * A local HTTP server speaking AWS Bedrock Runtime's Converse API, powered by the deterministic mock
 * model (`src/providers/mock/mock-model.ts`, test hooks included).
 *
 * - `POST /model/{modelId}/converse`: a ConverseResponse JSON body.
 * - `POST /model/{modelId}/converse-stream`: `application/vnd.amazon.eventstream`, binary event-stream
 *   messages (`:event-type` messageStart, contentBlockStart/Delta/Stop, messageStop, metadata;
 *   JSON payloads padded with a `p` field as Bedrock does), encoded with the AWS SDK's codec.
 * - `[mock:fail:<n>]`: after n deltas the stream ends with a `modelStreamErrorException` message.
 * - Every request must be SigV4-signed for service `bedrock` with the configured key: the signature
 *   is recomputed with the AWS SDK's signer and compared (403 MissingAuthenticationTokenException,
 *   UnrecognizedClientException or InvalidSignatureException otherwise, as AWS answers).
 * - Errors have AWS's restJson1 shape: `x-amzn-errortype: <Type>:<namespace>` and `{"message"}`;
 *   the mock model's `[mock:error:<status>]` hook picks the type of that status (429 →
 *   ThrottlingException...). Requests Bedrock refuses (no messages, roles not alternating, tool
 *   blocks without toolConfig) get a ValidationException.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { runMockModel, type MockMessage, type MockReply } from '../../../src/providers/mock/mock-model';
import {
  drop,
  FakeHttpError,
  isObject,
  pause,
  sendJson,
  startFakeHttpServer,
  type FakeRequest,
} from './fake-http';

export interface FakeBedrockServerOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The signing region expected in the credential scope. Default `us-east-1`. */
  readonly region?: string;
  /** Pause before each streamed token (ms). Default 0. */
  readonly tokenIntervalMs?: number;
  readonly port?: number;
  /**
   * Prompt-cache tokens to report (read when answering, so a test can change it between calls): as
   * Converse does, `inputTokens` then excludes them and `totalTokens` includes them.
   */
  cache?: { readonly readInputTokens: number; readonly writeInputTokens: number };
}

export interface FakeBedrockServer {
  /** Endpoint to use instead of `https://bedrock-runtime.<region>.amazonaws.com`. */
  readonly url: string;
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;
const ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};
const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/** AWS's restJson1 error: the type in `x-amzn-errortype`, `{"message"}` in the body. */
function awsError(status: number, type: string, message: string): FakeHttpError {
  return new FakeHttpError(
    status,
    { message },
    { 'x-amzn-errortype': `${type}:${ERROR_NAMESPACE}`, 'x-amzn-requestid': randomUUID() },
  );
}

export async function startFakeBedrockServer(options: FakeBedrockServerOptions): Promise<FakeBedrockServer> {
  const region = options.region ?? 'us-east-1';
  const tokenIntervalMs = Math.max(0, options.tokenIntervalMs ?? 0);
  const signer = new SignatureV4({
    service: 'bedrock',
    region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });

  const handle = async (request: FakeRequest, res: ServerResponse): Promise<void> => {
    await verifySignature(request, signer, options.accessKeyId, region);
    const route = ROUTE.exec(request.path.split('?')[0]);
    if (request.method !== 'POST' || !route)
      throw awsError(404, 'UnknownOperationException', 'Unknown operation');
    const input = validate(request.body);
    const outcome = runMockModel(input);
    if (outcome.delayMs > 0 && !(await pause(outcome.delayMs, res))) return;
    if (outcome.kind === 'error') {
      throw awsError(
        outcome.status,
        ERROR_TYPES[outcome.status] ?? 'InternalServerException',
        outcome.message,
      );
    }
    const usage = usageOf(outcome, options.cache);
    if (route[2] === 'converse-stream') return streamReply(res, outcome, usage, tokenIntervalMs);
    if (outcome.dropAfterTokens !== null) return drop(res);
    sendJson(res, 200, converseResponse(outcome, usage), { 'x-amzn-requestid': randomUUID() });
  };

  const server = await startFakeHttpServer(handle, options.port);
  return { url: server.origin, requests: server.requests, close: () => server.close() };
}

/** Recomputes the SigV4 signature of the request with the known secret and compares. */
async function verifySignature(
  request: FakeRequest,
  signer: SignatureV4,
  accessKeyId: string,
  region: string,
): Promise<void> {
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string')
    throw awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  const parsed =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/bedrock\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!parsed)
    throw awsError(
      400,
      'IncompleteSignatureException',
      `Authorization header is malformed: ${authorization}`,
    );
  const [, keyId, , scopeRegion, signedHeaders, signature] = parsed;
  if (keyId !== accessKeyId || scopeRegion !== region) {
    throw awsError(
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.raw).digest('hex')) {
    throw awsError(
      400,
      'XAmzContentSHA256Mismatch',
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  }
  const names = signedHeaders.split(';');
  const headers: Record<string, string> = {};
  for (const name of names) headers[name] = String(request.headers[name] ?? '');
  const [path, query = ''] = request.path.split('?');
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host?.split(':')[0] ?? '',
      path,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers,
      body: request.raw,
    },
    { signingDate: parseAmzDate(headers['x-amz-date']), signableHeaders: new Set(names) },
  );
  if (!String(expected.headers.authorization).endsWith(`Signature=${signature}`)) {
    throw awsError(
      403,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
}

function parseAmzDate(value: string | undefined): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) throw awsError(400, 'IncompleteSignatureException', 'Missing or malformed X-Amz-Date');
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** What Bedrock checks (the subset the mock model depends on), with Bedrock's messages. */
function validate(body: unknown): { messages: MockMessage[]; params: Record<string, unknown> } {
  if (!isObject(body)) throw awsError(400, 'SerializationException', 'Unable to parse the request body');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw awsError(
      400,
      'ValidationException',
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  let usesTools = false;
  messages.forEach((message: unknown, i) => {
    if (!isObject(message) || !Array.isArray(message.content)) {
      throw awsError(
        400,
        'ValidationException',
        `1 validation error detected: Value at 'messages.${i + 1}.member.content' failed to satisfy constraint: Member must not be null`,
      );
    }
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (message.role !== expected) {
      throw awsError(
        400,
        'ValidationException',
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    usesTools ||= message.content.some(
      (block: unknown) => isObject(block) && (block.toolUse || block.toolResult),
    );
  });
  if (usesTools && !isObject(body.toolConfig)) {
    throw awsError(
      400,
      'ValidationException',
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    );
  }
  const system = Array.isArray(body.system) ? (body.system as MockMessage['content'][]) : [];
  const inference = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
  return {
    messages: [
      ...(system.length > 0 ? [{ role: 'system', content: system }] : []),
      ...(messages as MockMessage[]),
    ],
    params: { max_tokens: inference.maxTokens },
  };
}

function stopReason(reply: MockReply): string {
  return reply.finishReason === 'length'
    ? 'max_tokens'
    : reply.finishReason === 'tool_calls'
      ? 'tool_use'
      : 'end_turn';
}

/** The mock's input count is the whole prompt: with a cache, the cached part moves out of `inputTokens`. */
function usageOf(reply: MockReply, cache: FakeBedrockServerOptions['cache']): Record<string, number> {
  const { inputTokens, outputTokens, totalTokens } = reply.usage;
  if (!cache) return { inputTokens, outputTokens, totalTokens };
  const { readInputTokens, writeInputTokens } = cache;
  return {
    inputTokens,
    outputTokens,
    totalTokens: totalTokens + readInputTokens + writeInputTokens,
    cacheReadInputTokens: readInputTokens,
    cacheWriteInputTokens: writeInputTokens,
  };
}

function toolUse(reply: MockReply): { toolUseId: string; name: string; input: string } | null {
  const call = reply.toolCalls?.[0];
  if (!call) return null;
  return {
    toolUseId: `tooluse_${call.id.slice('call_'.length)}`,
    name: call.function.name,
    input: call.function.arguments,
  };
}

function converseResponse(reply: MockReply, usage: Record<string, number>): unknown {
  const tool = toolUse(reply);
  const content = tool
    ? [{ toolUse: { toolUseId: tool.toolUseId, name: tool.name, input: JSON.parse(tool.input) as unknown } }]
    : [{ text: reply.content ?? '' }];
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: stopReason(reply),
    usage,
    metrics: { latencyMs: 12 },
  };
}

async function streamReply(
  res: ServerResponse,
  reply: MockReply,
  usage: Record<string, number>,
  intervalMs: number,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': randomUUID(),
  });
  const send = (type: string, payload: Record<string, unknown>): void => {
    // Bedrock pads each payload so that its length does not give away the token's.
    const p = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'.slice(
      0,
      1 + (JSON.stringify(payload).length % 16),
    );
    res.write(event(type, { ...payload, p }));
  };
  const tool = toolUse(reply);
  const pieces = tool ? (tool.input.match(/[\s\S]{1,4}/g) ?? []) : reply.tokens;
  send('messageStart', { role: 'assistant' });
  if (tool)
    send('contentBlockStart', {
      contentBlockIndex: 0,
      start: { toolUse: { toolUseId: tool.toolUseId, name: tool.name } },
    });
  for (let i = 0; i < pieces.length; i++) {
    if (i === reply.dropAfterTokens) return drop(res);
    if (i === reply.failAfterTokens) return void res.end(streamException());
    if (intervalMs > 0 && !(await pause(intervalMs, res))) return;
    send('contentBlockDelta', {
      contentBlockIndex: 0,
      delta: tool ? { toolUse: { input: pieces[i] } } : { text: pieces[i] },
    });
  }
  if (res.destroyed) return;
  send('contentBlockStop', { contentBlockIndex: 0 });
  send('messageStop', { stopReason: stopReason(reply) });
  send('metadata', { usage, metrics: { latencyMs: 12 } });
  res.end();
}

/** A ConverseStream failing mid-way: an exception message (`modelStreamErrorException`) ends it. */
function streamException(): Uint8Array {
  const message = 'Mock stream failure requested by [mock:fail]';
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: 'modelStreamErrorException' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: Buffer.from(JSON.stringify({ message, originalStatusCode: 500, originalMessage: message }), 'utf8'),
  });
}

/** One event-stream message: `:event-type`, JSON content, message type `event`. */
function event(type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: Buffer.from(JSON.stringify(payload), 'utf8'),
  });
}
