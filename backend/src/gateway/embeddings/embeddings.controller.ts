import { Controller, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { Direct } from '../../http/direct-routes';
import type { IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import { CallerResolver } from '../../auth/caller';
import { BudgetGuard } from '../../budgets/budget-guard';
import { InvalidInputError, ProviderError } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import type { ChatCompletion } from '../../providers/wire/chat-completions';
import { RequestRefusals } from '../../refusals/request-refusals';
import { Router } from '../../routing/router';
import { AttemptTimer } from '../attempt-timer';
import { GatewayRateLimit } from '../gateway-rate-limit';
import { apiKeyOf } from '../gateway-pipeline';
import { GenerationRecordings, type GenerationRecording } from '../generation-recording';
import { openAiError } from '../openai-errors';
import { askerOf, isRefusal, refusalOf, unauthorizedAsker, type Asker } from '../refusal-of';
import { readRequestBody } from '../request-body';
import { traceContext } from '../trace-context';
import { EmbeddingTransports } from './embedding-transports';
import {
  parseEmbeddingsRequest,
  providerBody,
  recordedRequest,
  type EmbeddingsRequest,
} from './embeddings-request';

const ID_HEADER = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * `POST /v1/embeddings` in OpenAI's format, for OpenAI, Azure, Mistral, the OpenAI-compatible
 * servers that embed, and the mock. The provider's answer goes back unchanged (bytes and headers);
 * the call is recorded as a generation whose messages are the inputs and whose usage is the input
 * tokens (no output). A provider without embeddings is a 400 naming it.
 */
@Controller('v1')
export class EmbeddingsController {
  private readonly logger = new Logger('Gateway');

  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(GatewayRateLimit) private readonly limits: GatewayRateLimit,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Router) private readonly router: Router,
    @Inject(GenerationRecordings) private readonly recordings: GenerationRecordings,
    @Inject(EmbeddingTransports) private readonly transports: EmbeddingTransports,
    @Inject(RequestRefusals) private readonly refusals: RequestRefusals,
    @Inject(BudgetGuard) private readonly budgets: BudgetGuard,
  ) {}

  @Post('embeddings')
  @Direct()
  async embeddings(@Req() req: Request, @Res() res: Response): Promise<void> {
    const client = new AbortController();
    res.on(
      'close',
      () => res.writableFinished || client.abort(new DOMException('The client went away', 'AbortError')),
    );
    let recording: GenerationRecording | undefined;
    let asker: Asker | undefined;
    let body: unknown;
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
      body = (await readRequestBody(req, this.config.gatewayMaxBodyBytes)).json;
      const request = parseEmbeddingsRequest(body);
      const recorded = recordedRequest(request);
      await this.budgets.ready(access.projectId);
      recording = this.recordings.start(access, recorded, traceContext(req.headers), apiKeyOf(caller));
      recording.hold(this.budgets.admit(recording.span, recorded));
      res.setHeader('x-sightline-trace-id', recording.span.traceId);
      res.setHeader('x-sightline-span-id', recording.span.spanId);
      const started = recording;
      const { result } = await this.router.run(
        access.projectId,
        request.model,
        client.signal,
        (target, signal, timeouts) => this.embed(request, started, target, signal, timeouts),
      );
      res.writeHead(200, { ...result.headers, 'content-type': 'application/json' }).end(result.body);
      recording.tap.completion(usageOnly(result.body, request.model));
      recording.completed();
    } catch (error) {
      recording?.broken(client.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error });
      asker ??= unauthorizedAsker(this.callers, req, error);
      if (asker && isRefusal(error, client.signal))
        this.refusals.note(refusalOf(req, asker, body, openAiError(error).status, error));
      this.fail(res, error);
    }
  }

  private async embed(
    request: EmbeddingsRequest,
    recording: GenerationRecording,
    target: Parameters<Parameters<Router['run']>[3]>[0],
    signal: AbortSignal,
    timeouts: Parameters<Parameters<Router['run']>[3]>[2],
  ): Promise<{ headers: Readonly<Record<string, string>>; body: Buffer }> {
    recording.attempt(target);
    const transport = this.transports.get(target.adapter.id);
    if (!transport)
      throw new InvalidInputError(
        `Embeddings are not available from ${target.adapter.id} (model '${request.model}'): use an OpenAI, Azure OpenAI, Mistral or embedding-capable OpenAI-compatible model`,
        'unsupported_feature',
        'model',
      );
    const timer = new AttemptTimer([signal], timeouts, target.adapter.id);
    try {
      const upstream = await transport.call({
        model: target.model,
        body: providerBody(target.adapter.id, request, target.model),
        stream: false,
        headers: {},
        credential: target.credential,
        signal: timer.signal,
      });
      if (upstream.kind !== 'json')
        throw new ProviderError(
          `${target.adapter.id} answered embeddings with a stream`,
          upstream.status,
          'provider_error',
        );
      return upstream;
    } catch (error) {
      throw timer.explain(error);
    } finally {
      timer.dispose();
    }
  }

  private fail(res: Response, error: unknown): void {
    if (res.destroyed || res.headersSent) return void res.end();
    // An OpenAI-format provider's own error reaches an OpenAI-format caller unchanged.
    if (
      error instanceof ProviderError &&
      error.providerBody?.format === 'openai-chat' &&
      error.providerStatus !== null
    ) {
      res.writeHead(error.providerStatus, { ...error.providerHeaders, 'content-type': 'application/json' });
      return void res.end(error.providerBody.text);
    }
    const answer = openAiError(error);
    if (answer.unexpected) this.logger.error(error);
    res
      .writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json' })
      .end(JSON.stringify(answer.body));
  }
}

/** The hub view of an embeddings answer for recording: no output, the input tokens as usage. */
function usageOnly(body: Buffer, model: string): ChatCompletion {
  let usage: { prompt_tokens?: unknown; total_tokens?: unknown } = {};
  try {
    usage = (JSON.parse(body.toString('utf8')) as { usage?: typeof usage }).usage ?? {};
  } catch {
    // An unreadable answer still went to the caller; it is recorded without usage.
  }
  const input = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  return {
    id: '',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [],
    usage: { prompt_tokens: input, completion_tokens: 0, total_tokens: input },
  };
}
