import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import type { EventSource } from '@sightline/schemas';
import { CallerResolver, type Caller, type ProjectAccess } from '../auth/caller';
import { mergeHeaders } from '../common/merge-headers';
import { BudgetGuard } from '../budgets/budget-guard';
import { InvalidInputError, ProviderError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
} from '../providers/wire/chat-completions';
import { wireFormat } from '../providers/wire/formats';
import { frameSse, SseParser, toWireEvent, type SseEvent } from '../providers/wire/sse';
import type { StreamEncoder, WireEvent, WireFormat } from '../providers/wire/wire-format';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../providers/upstream';
import { ProjectRedaction } from '../redaction/project-redaction';
import { RequestRefusals } from '../refusals/request-refusals';
import { routeOptionsFromHeaders } from '../routing/route-options';
import { Router, type RouteOptions, type RouteTarget } from '../routing/router';
import { withIdentity } from './answer-identity';
import { AttemptTimer } from './attempt-timer';
import { GatewayRateLimit } from './gateway-rate-limit';
import { GenerationRecordings, type GenerationRecording } from './generation-recording';
import { cacheKey } from './cache/cache-key';
import { CACHE_HEADER, cachePolicy } from './cache/cache-policy';
import { ResponseCache, type CachedAnswer } from './cache/response-cache';
import { replayChunks, storedCompletion } from './cache/stored-answer';
import { askedForUsage, forwardedHeaders, isUsageOnly, passthroughBody } from './passthrough';
import { readRequestBody, type RequestBody } from './request-body';
import { askerOf, isRefusal, refusalOf, unauthorizedAsker, type Asker } from './refusal-of';
import { applyPrompt, promptUseOf, type PromptUse } from '../prompts/apply-prompt';
import { PromptVersions } from '../prompts/prompt-versions';
import { traceContext, type TraceContext } from './trace-context';

/** An error as a caller's SDK expects it. */
export interface ErrorAnswer {
  readonly status: number;
  /** Lower-case names: `retry-after`, the provider's rate-limit hints... */
  readonly headers: Readonly<Record<string, string>>;
  /** Serialised as JSON. */
  readonly body: unknown;
  /** Neither the caller's doing nor the provider's: logged with its stack. */
  readonly unexpected: boolean;
}

/** One gateway endpoint: the wire format its callers speak, and how their errors look. */
export interface GatewayEndpoint {
  readonly format: WireFormat;
  /** Any thrown value (typed errors from `common/errors.ts`, else unexpected) → the caller's error. */
  error(error: unknown): ErrorAnswer;
  /**
   * The text that ends a started stream with `answer` (e.g. `data: {"error":…}\n\n`). `sequence` is
   * the number the next event of the stream takes, for formats that number them (Responses).
   */
  streamError(answer: ErrorAnswer, sequence: number): string;
  /**
   * The transport this endpoint uses for `target` instead of `target.adapter` (e.g. OpenAI's own
   * Responses API for a Responses caller), undefined for the target's own; may throw (a feature
   * only that provider's own API can serve).
   */
  transport?(target: RouteTarget, request: ChatCompletionRequest): ProviderAdapter | undefined;
}

/**
 * Where an answer is written: the part of an HTTP response the pipeline uses. A `ServerResponse` is
 * one; an in-process caller ({@link GatewayPipeline.call}) passes its own.
 */
export interface AnswerSink {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  setHeader(name: string, value: string): unknown;
  writeHead(
    status: number,
    headers: Readonly<Record<string, string>>,
  ): { end(text?: string | Uint8Array): unknown };
  /** False when full: the pipeline waits for `drain` (or `close`). */
  write(text: string | Uint8Array): boolean;
  end(text?: string | Uint8Array): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** An in-process call under way: its recording, and its answer. */
export interface InProcessCall {
  readonly recording: GenerationRecording;
  /** Settles once the answer ended: rejects with what an HTTP caller would have been told. */
  readonly answered: Promise<void>;
}

/** One call in flight. */
interface Call {
  readonly endpoint: GatewayEndpoint;
  readonly access: ProjectAccess;
  readonly body: RequestBody;
  /** The caller's request in the hub format. */
  readonly request: ChatCompletionRequest;
  readonly headers: IncomingHttpHeaders;
  readonly res: AnswerSink;
  /** Aborted when the caller goes away. */
  readonly signal: AbortSignal;
  readonly recording: GenerationRecording;
  /** `x-sightline-fallbacks`... */
  readonly routing: RouteOptions;
  /** Set when the caller opted into the response cache (`x-sightline-cache`). */
  readonly cache: { readonly key: string; readonly ttlSeconds: number } | undefined;
}

const ID_HEADER = /^[A-Za-z0-9_.:-]{1,128}$/;
const JSON_TYPE = { 'content-type': 'application/json' };
const SSE_TYPE = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/**
 * The gateway: one call of any endpoint's wire format F to any provider. Authenticate, read the body
 * (raw bytes kept), check it through F (`toChatRequest`), then `Router.run` over the targets. A target
 * speaking F gets the caller's own bytes (only `model` and the usage request rewritten) and its answer
 * goes back byte for byte with its headers; any other target is translated F → hub → its format and
 * back. Both ways the hub view is tapped for recording (`GenerationRecording`), off the byte path.
 * Controllers call {@link handle} with their endpoint; it never throws.
 */
@Injectable()
export class GatewayPipeline {
  private readonly logger = new Logger('Gateway');

  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(GatewayRateLimit) private readonly limits: GatewayRateLimit,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Router) private readonly router: Router,
    @Inject(GenerationRecordings) private readonly recordings: GenerationRecordings,
    @Inject(ResponseCache) private readonly responses: ResponseCache,
    @Inject(RequestRefusals) private readonly refusals: RequestRefusals,
    @Inject(BudgetGuard) private readonly budgets: BudgetGuard,
    @Inject(PromptVersions) private readonly prompts: PromptVersions,
    @Inject(ProjectRedaction) private readonly redaction: ProjectRedaction,
  ) {}

  async handle(endpoint: GatewayEndpoint, req: Request, res: Response): Promise<void> {
    const client = new AbortController();
    res.on(
      'close',
      () => res.writableFinished || client.abort(new DOMException('The client went away', 'AbortError')),
    );
    // Known as the request is read, so a refusal of ours is counted for the caller's project.
    let asker: Asker | undefined;
    let body: RequestBody | undefined;
    try {
      const caller = this.callers.fromHttp(req);
      const project = req.headers['x-sightline-project-id'];
      const access = this.callers.authorize(
        caller,
        typeof project === 'string' && ID_HEADER.test(project) ? project : undefined,
        'member',
      );
      asker = askerOf(caller, access);
      this.limits.check(caller.kind === 'api-key' ? caller.keyId : access.projectId);
      body = await readRequestBody(req, this.config.gatewayMaxBodyBytes);
      let trace = traceContext(req.headers);
      const promptUse = promptUseOf(req.headers);
      if (promptUse) ({ body, trace } = this.withPrompt(endpoint, access.projectId, promptUse, body, trace));
      const routing = routeOptionsFromHeaders(req.headers);
      await this.budgets.ready(access.projectId);
      const started = this.start(endpoint, access, body, trace, apiKeyOf(caller), 'gateway', (json) =>
        cacheOf(access.projectId, endpoint, json, req.headers[CACHE_HEADER]),
      );
      ({ body } = started);
      const { request, recording, cache } = started;
      res.setHeader('x-sightline-trace-id', recording.span.traceId);
      res.setHeader('x-sightline-span-id', recording.span.spanId);
      await this.serve({
        endpoint,
        access,
        body,
        request,
        headers: req.headers,
        res,
        signal: client.signal,
        recording,
        routing,
        cache,
      });
    } catch (error) {
      asker ??= unauthorizedAsker(this.callers, req, error);
      if (asker && isRefusal(error, client.signal)) {
        this.refusals.note(refusalOf(req, asker, body?.json, endpoint.error(error).status, error));
      }
      this.fail(endpoint, res, error);
    }
  }

  /** Settles once budgets can check `projectId`'s calls against its past spend (await before {@link call}). */
  budgetsReady(projectId: string): Promise<void> | undefined {
    return this.budgets.ready(projectId);
  }

  /**
   * An in-process call (replay): `json` run for `access` like a call of `endpoint` with the trace
   * context `trace` — redaction of what is forwarded, budgets, routing, recording — never cached,
   * recorded as coming from `source`. The answer goes to `sink`.
   * @throws what an HTTP caller would be answered before anything was recorded (an invalid body, a
   *   budget exceeded); later errors (an unknown model, a provider's failure) reject `answered`.
   */
  call(
    endpoint: GatewayEndpoint,
    access: ProjectAccess,
    json: Record<string, unknown>,
    trace: TraceContext,
    sink: AnswerSink,
    signal: AbortSignal,
    source: EventSource,
  ): InProcessCall {
    const given = { json, bytes: Buffer.from(JSON.stringify(json)) };
    const { body, request, recording } = this.start(endpoint, access, given, trace, undefined, source);
    const answered = this.serve({
      endpoint,
      access,
      body,
      request,
      headers: {},
      res: sink,
      signal,
      recording,
      routing: {},
      cache: undefined,
    });
    return { recording, answered };
  }

  /** Redaction of what is forwarded (when the project chose it), the hub request, its recording and budget hold. */
  private start(
    endpoint: GatewayEndpoint,
    access: ProjectAccess,
    given: RequestBody,
    trace: TraceContext,
    apiKeyId: string | undefined,
    source: EventSource,
    cacheFor: (json: unknown) => Call['cache'] = () => undefined,
  ) {
    // Redacted here when the project chose so: the provider, the cache and the recording get the same.
    const body = this.redaction.forwarded(access.projectId, given);
    const request = endpoint.format.toChatRequest(body.json);
    const cache = cacheFor(body.json);
    const recording = this.recordings.start(access, request, trace, apiKeyId, source);
    recording.hold(this.budgets.admit(recording.span, request));
    return { body, request, recording, cache };
  }

  /** The body with the prompt of `x-sightline-prompt` applied, and its name and version in the metadata. */
  private withPrompt(
    endpoint: GatewayEndpoint,
    projectId: string,
    use: PromptUse,
    body: RequestBody,
    trace: TraceContext,
  ): { body: RequestBody; trace: TraceContext } {
    if (endpoint.format.id !== 'openai-chat')
      throw new InvalidInputError('x-sightline-prompt works with /v1/chat/completions', 'invalid_header');
    const prompt = this.prompts.get(projectId, use.name, use.selector);
    const json = applyPrompt(body.json, prompt, use.variables);
    const metadata = {
      ...trace.metadata,
      'prompt.name': prompt.name,
      'prompt.version': String(prompt.version),
    };
    return { body: { bytes: Buffer.from(JSON.stringify(json)), json }, trace: { ...trace, metadata } };
  }

  private async serve(call: Call): Promise<void> {
    if (call.cache) {
      const hit = this.responses.get(call.cache.key);
      call.res.setHeader(CACHE_HEADER, hit ? 'hit' : 'miss');
      if (hit) return this.replay(call, hit);
    }
    let timer: AttemptTimer | undefined;
    let route: { target: RouteTarget; result: UpstreamResponse };
    let used: RouteTarget | undefined;
    try {
      route = await this.router.run(
        call.access.projectId,
        call.request.model,
        call.signal,
        async (routed, signal, timeouts) => {
          call.recording.attempt(routed);
          const adapter = call.endpoint.transport?.(routed, call.request) ?? routed.adapter;
          const target = (used = { ...routed, adapter });
          timer?.dispose();
          // The caller's own signal too: a stream outlives the attempt, and the router's signal with it.
          timer = new AttemptTimer([signal, call.signal], timeouts, target.adapter.id);
          try {
            const upstream = await target.adapter.call(this.upstreamRequest(call, target, timer.signal));
            if (upstream.kind === 'json') timer.firstTokenArrived();
            return upstream;
          } catch (error) {
            throw timer.explain(error);
          }
        },
        call.routing,
      );
    } catch (error) {
      timer?.dispose();
      call.recording.broken(call.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error });
      await call.recording.outcome; // in the log before the error is answered
      throw error;
    }
    try {
      await this.answer(call, used ?? route.target, route.result, timer!);
    } catch (error) {
      call.recording.broken({ kind: 'failed', error }); // an answer that could not be read
      await call.recording.outcome;
      throw error;
    } finally {
      timer!.dispose();
    }
  }

  private upstreamRequest(call: Call, target: RouteTarget, signal: AbortSignal): UpstreamRequest {
    const { request } = call;
    const stream = request.stream === true;
    const { model, credential } = target;
    // Literals, not `{ ...common, body }`: adding keys to a spread copy is V8's slow path (~1 µs).
    if (target.adapter.format === call.endpoint.format.id) {
      const rawBody = passthroughBody(target.adapter.format, call.body.bytes, request, target.model);
      const headers = forwardedHeaders(call.headers);
      return { model, stream, credential, signal, body: call.body.json, rawBody, headers };
    }
    const hub: ChatCompletionRequest = {
      ...request,
      model: target.model,
      ...(stream ? { stream_options: { ...request.stream_options, include_usage: true } } : {}),
    };
    const body = wireFormat(target.adapter.format).fromChatRequest(hub);
    return { model, stream, credential, signal, body, headers: {} };
  }

  private async answer(
    call: Call,
    target: RouteTarget,
    upstream: UpstreamResponse,
    timer: AttemptTimer,
  ): Promise<void> {
    const { res, recording } = call;
    const provider = wireFormat(target.adapter.format);
    const same = target.adapter.format === call.endpoint.format.id;
    if (upstream.kind === 'json') {
      if (same) {
        this.tapCompletion(call, target, () =>
          provider.toChatCompletion(JSON.parse(upstream.body.toString('utf8'))),
        );
        await this.completed(call, target);
        res.writeHead(upstream.status, mergeHeaders(upstream.headers, JSON_TYPE)).end(upstream.body);
        return;
      }
      const completion = withIdentity(
        decoded(target, () => provider.toChatCompletion(JSON.parse(upstream.body.toString('utf8')))),
        recording.span,
        target.model,
      );
      const text = JSON.stringify(call.endpoint.format.fromChatCompletion(completion));
      recording.tap.completion(completion);
      await this.completed(call, target);
      res.writeHead(200, mergeHeaders(upstream.headers, JSON_TYPE)).end(text);
      return;
    }
    res.writeHead(upstream.status, mergeHeaders(upstream.headers, SSE_TYPE));
    const stream = new StreamRelay(call, target, timer);
    try {
      if (same && upstream.kind === 'sse') await stream.relay(upstream.bytes, provider);
      else await stream.translate(upstream, provider, call.endpoint.format.streamEncoder());
      await this.completed(call, target);
      res.end();
    } catch (error) {
      await stream.broke(timer.explain(error));
    }
  }

  /**
   * Records the end and, when the caller opted in, keeps a whole answer for the next identical request.
   * Resolves once the call's events are in the log (or the local outbox): the answer ends after
   * that, so a call answered survives a kill -9 of this process.
   */
  private async completed(call: Call, target: RouteTarget): Promise<void> {
    call.recording.completed();
    const completion = call.cache && storedCompletion(call.recording.tap, target.model);
    if (call.cache && completion) {
      const answer = { completion, provider: target.adapter.id, model: target.model };
      this.responses.set(call.cache.key, answer, call.cache.ttlSeconds);
    }
    await call.recording.outcome;
  }

  /** A cache hit: the stored answer in the caller's format (streamed if asked), no provider called. */
  private async replay(call: Call, hit: CachedAnswer): Promise<void> {
    const { res, endpoint, recording } = call;
    const completion: ChatCompletion = {
      ...hit.completion,
      id: `chatcmpl-${recording.span.spanId}`,
      created: Math.floor(recording.span.startedAt.getTime() / 1000),
    };
    recording.cacheHit(hit.provider, hit.model, completion);
    await recording.outcome;
    if (call.request.stream !== true) {
      res.writeHead(200, JSON_TYPE).end(JSON.stringify(endpoint.format.fromChatCompletion(completion)));
      return;
    }
    const encoder = endpoint.format.streamEncoder();
    const strip = !askedForUsage(call.request);
    const chunks = replayChunks(completion).filter((chunk) => !(strip && isUsageOnly(chunk)));
    res.writeHead(200, SSE_TYPE).end(chunks.map((chunk) => encoder.push(chunk)).join('') + encoder.end());
  }

  private tapCompletion(
    call: Call,
    target: RouteTarget,
    read: () => Parameters<GenerationRecording['tap']['completion']>[0],
  ): void {
    try {
      call.recording.tap.completion(read());
    } catch (error) {
      this.logger.warn(
        `Could not read ${target.adapter.id}'s answer for recording: ${(error as Error).message}`,
      );
    }
  }

  /** Answers an error that happened before the answer started (or ends a started stream with it). */
  private fail(endpoint: GatewayEndpoint, res: Response, error: unknown): void {
    if (res.destroyed) return;
    const passthrough = providerOwn(endpoint, error);
    if (passthrough && !res.headersSent) {
      res.writeHead(passthrough.status, mergeHeaders(passthrough.headers, JSON_TYPE)).end(passthrough.text);
      return;
    }
    const answer = endpoint.error(error);
    if (answer.unexpected) this.logger.error(error);
    if (res.headersSent) {
      res.end(endpoint.streamError(answer, 0));
      return;
    }
    res.writeHead(answer.status, mergeHeaders(answer.headers, JSON_TYPE)).end(JSON.stringify(answer.body));
  }
}

/** The public id of the API key a call came with, if it came with one. */
export const apiKeyOf = (caller: Caller): string | undefined =>
  caller.kind === 'api-key' ? caller.keyId : undefined;

/** The cache entry of a call whose caller sent `x-sightline-cache` (a bad value is a 400 naming it). */
function cacheOf(
  projectId: string,
  endpoint: GatewayEndpoint,
  body: unknown,
  header: string | string[] | undefined,
): Call['cache'] {
  const policy = cachePolicy(Array.isArray(header) ? header.join(',') : header);
  if (!policy) return undefined;
  const key = cacheKey(projectId, endpoint.format.id, body as Record<string, unknown>);
  return { key, ttlSeconds: policy.ttlSeconds };
}

/** A provider's error for a caller of its own format: its status, headers and body, unchanged. */
function providerOwn(
  endpoint: GatewayEndpoint,
  error: unknown,
): { status: number; headers: Readonly<Record<string, string>>; text: string } | undefined {
  if (!(error instanceof ProviderError) || !error.providerBody || error.providerStatus === null)
    return undefined;
  if (error.providerBody.format !== endpoint.format.id) return undefined;
  return { status: error.providerStatus, headers: error.providerHeaders, text: error.providerBody.text };
}

/** Reads a provider's answer; one it cannot be read is the provider's error. */
function decoded<T>(target: RouteTarget, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw new ProviderError(
      `Unexpected answer from ${target.adapter.id}: ${(error as Error).message}`,
      null,
      'provider_error',
    );
  }
}

/** Writes `text`, waiting while the caller's socket is full (never after it closed). */
function write(res: AnswerSink, text: string | Uint8Array): Promise<void> | undefined {
  if (res.destroyed || res.write(text)) return undefined;
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** One streamed answer on its way to the caller, tapped for recording. */
class StreamRelay {
  /** The provider's error already reached the caller (same-format relay): nothing more to say. */
  private told = false;
  private readonly strip: boolean;
  /** The `sequence_number` the next event takes, for formats that number their events. */
  private sequence = 0;

  constructor(
    private readonly call: Call,
    private readonly target: RouteTarget,
    private readonly timer: AttemptTimer,
  ) {
    this.strip = !askedForUsage(call.request);
  }

  /**
   * Same format: the provider's bytes go out as they come, then are decoded for recording. When
   * the caller did not ask for usage, events are passed one by one (their data unchanged) so the
   * usage event Sightline asked for can be left out.
   */
  async relay(bytes: AsyncIterable<Uint8Array>, provider: WireFormat): Promise<void> {
    const parser = new SseParser();
    const decoder = provider.streamDecoder();
    const tap = (events: SseEvent[]): string => {
      let out = '';
      for (const event of events) {
        let chunks: ChatCompletionChunk[];
        const wire = toWireEvent(event);
        this.sequence = sequenceAfter(wire, this.sequence);
        try {
          chunks = decoder.push(wire);
        } catch (error) {
          if (this.strip) out += frameSse(event);
          this.told = error instanceof ProviderError;
          void (out && write(this.call.res, out));
          throw error;
        }
        if (this.strip && !(chunks.length > 0 && chunks.every(isUsageOnly))) out += frameSse(event);
        this.record(chunks);
      }
      return out;
    };
    for await (const chunk of bytes) {
      this.timer.firstTokenArrived();
      if (!this.strip) await write(this.call.res, chunk);
      const out = decoded(this.target, () => tap(parser.push(chunk)));
      if (out) await write(this.call.res, out);
    }
    const out = decoded(this.target, () => tap(parser.end()));
    if (out) await write(this.call.res, out);
    this.record(decoder.end());
  }

  /** Another format: provider events → hub chunks → the caller's encoder. */
  async translate(
    upstream: Exclude<UpstreamResponse, { kind: 'json' }>,
    provider: WireFormat,
    encoder: StreamEncoder,
  ): Promise<void> {
    const decoder = provider.streamDecoder();
    const encode = (chunks: ChatCompletionChunk[]): string => {
      const identified = chunks.map((c) => withIdentity(c, this.call.recording.span, this.target.model));
      this.record(identified);
      const out = identified.map((c) => (this.strip && isUsageOnly(c) ? '' : encoder.push(c))).join('');
      this.sequence = encoder.nextSequence ?? this.sequence;
      return out;
    };
    const events = upstream.kind === 'sse' ? wireEvents(upstream.bytes) : upstream.events;
    for await (const event of events) {
      this.timer.firstTokenArrived();
      const out = encode(decoded(this.target, () => decoder.push(event)));
      if (out) await write(this.call.res, out);
    }
    await write(this.call.res, encode(decoded(this.target, () => decoder.end())) + encoder.end());
  }

  /** The stream broke: the caller left (cancelled) or the provider failed (failed, partial output kept). */
  async broke(error: unknown): Promise<void> {
    const { res, recording, endpoint, signal } = this.call;
    if (signal.aborted && !(error instanceof ProviderError && error.errorClass === 'timeout')) {
      recording.broken({ kind: 'cancelled' });
      return;
    }
    const failure = error instanceof ProviderError ? error : lost(this.target, error);
    recording.broken({ kind: 'failed', error: failure });
    await recording.outcome; // in the log before the stream ends
    if (res.destroyed) return;
    res.end(this.told ? undefined : endpoint.streamError(endpoint.error(failure), this.sequence));
  }

  private record(chunks: readonly ChatCompletionChunk[]): void {
    this.call.recording.streamed(chunks);
  }
}

/** The number after the event's `sequence_number` (Responses events carry one), else `current`. */
function sequenceAfter(event: WireEvent, current: number): number {
  const sequence = (event.data as { sequence_number?: unknown } | null)?.sequence_number;
  return typeof sequence === 'number' && Number.isInteger(sequence) ? sequence + 1 : current;
}

/** A provider connection that broke mid-answer. */
function lost(target: RouteTarget, error: unknown): ProviderError {
  const reason = (error as { message?: unknown })?.message;
  return new ProviderError(
    `Connection to ${target.adapter.id} lost: ${typeof reason === 'string' ? reason : String(error)}`,
    null,
    'provider_unreachable',
  );
}

async function* wireEvents(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<WireEvent> {
  const parser = new SseParser();
  for await (const chunk of bytes) for (const event of parser.push(chunk)) yield toWireEvent(event);
  for (const event of parser.end()) yield toWireEvent(event);
}
