import { Controller, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { CallerResolver } from '../auth/caller';
import { GatewayRateLimit } from './gateway-rate-limit';
import { AppConfig } from '../config/app-config';
import { ChatCompletionCommand, type ChatCompletionOutcome } from './chat-completion.command';
import { openAiError } from './openai-errors';
import { chunkBodies, completionBody } from './openai-response';
import { parseChatRequest } from './openai-chat-request';
import { readJsonBody } from './read-json-body';

const ID_HEADER = /^[A-Za-z0-9_.:-]{1,128}$/;

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && ID_HEADER.test(value) ? value : undefined;
}

/** OpenAI-compatible gateway: point an OpenAI SDK's base URL at `<sightline>/v1`. */
@Controller('v1')
export class GatewayController {
  private readonly logger = new Logger(GatewayController.name);

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(GatewayRateLimit) private readonly limits: GatewayRateLimit,
  ) {}

  @Post('chat/completions')
  async chatCompletions(@Req() req: Request, @Res() res: Response): Promise<void> {
    const aborted = new AbortController();
    res.on('close', () => res.writableFinished || aborted.abort());
    try {
      const caller = this.callers.fromHttp(req);
      const access = this.callers.authorize(caller, header(req, 'x-sightline-project-id'), 'member');
      this.limits.check(caller.kind === 'api-key' ? caller.keyId : access.projectId);
      const { request, stream, includeUsage } = parseChatRequest(
        await readJsonBody(req, this.config.gatewayMaxBodyBytes),
      );
      const trace = {
        traceId: header(req, 'x-sightline-trace-id'),
        parentSpanId: header(req, 'x-sightline-parent-span-id'),
      };
      const outcome = await this.commands.execute(
        new ChatCompletionCommand(access, request.user, request, stream, 'gateway', trace, aborted.signal),
      );
      res.setHeader('x-sightline-trace-id', outcome.span.traceId);
      res.setHeader('x-sightline-span-id', outcome.span.spanId);
      await this.respond(res, request.model, outcome, includeUsage);
    } catch (error) {
      this.fail(res, error);
    }
  }

  private async respond(
    res: Response,
    model: string,
    outcome: ChatCompletionOutcome,
    includeUsage: boolean,
  ): Promise<void> {
    const id = `chatcmpl-${outcome.span.spanId}`;
    const created = Math.floor(outcome.span.startedAt.getTime() / 1000);
    if (outcome.kind === 'completion') {
      res.status(200).json(completionBody(id, model, created, await outcome.result));
      return;
    }
    let first = true;
    for await (const chunk of outcome.chunks) {
      if (first) {
        res.status(200).setHeader('content-type', 'text/event-stream; charset=utf-8');
        res.setHeader('cache-control', 'no-cache');
        res.flushHeaders();
      }
      for (const body of chunkBodies(id, model, created, chunk, first, includeUsage))
        res.write(`data: ${JSON.stringify(body)}\n\n`);
      first = false;
    }
    res.end('data: [DONE]\n\n');
  }

  private fail(res: Response, error: unknown): void {
    const { status, headers, body, unexpected } = openAiError(error);
    if (unexpected) this.logger.error(error);
    if (res.destroyed) return;
    if (res.headersSent) {
      // Mid-stream: OpenAI sends the error as an SSE event.
      res.end(`data: ${JSON.stringify(body)}\n\n`);
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(status).json(body);
  }
}
