import { Controller, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { Direct } from '../../http/direct-routes';
import type { IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import { ProviderError } from '../../common/errors';
import { anthropicMessagesFormat } from '../../providers/wire/anthropic-messages/anthropic-messages.format';
import { GatewayPipeline, type GatewayEndpoint } from '../gateway-pipeline';
import { anthropicError, anthropicStreamError } from './anthropic-errors';
import { TokenCounter } from './count-tokens';

/** Anthropic's Messages API for callers: errors in Anthropic's shape, also inside a stream. */
export const ANTHROPIC_MESSAGES: GatewayEndpoint = {
  format: anthropicMessagesFormat,
  error: anthropicError,
  streamError: anthropicStreamError,
};

/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens`: point an Anthropic SDK's base URL at
 * `<sightline>` and its API key at a Sightline key (`x-api-key` or `Authorization: Bearer`).
 */
@Controller('v1')
export class AnthropicMessagesController {
  private readonly logger = new Logger('AnthropicMessages');

  constructor(
    @Inject(GatewayPipeline) private readonly gateway: GatewayPipeline,
    @Inject(TokenCounter) private readonly counter: TokenCounter,
  ) {}

  @Post('messages')
  @Direct()
  messages(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.gateway.handle(ANTHROPIC_MESSAGES, req, res);
  }

  @Post('messages/count_tokens')
  @Direct()
  async countTokens(@Req() req: Request, @Res() res: Response): Promise<void> {
    const client = new AbortController();
    res.on('close', () => res.writableFinished || client.abort());
    try {
      const { headers, body } = await this.counter.count(req, client.signal);
      res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
    } catch (error) {
      if (res.destroyed) return;
      // Anthropic's own error for an Anthropic caller: as Anthropic sent it.
      if (
        error instanceof ProviderError &&
        error.providerBody?.format === 'anthropic-messages' &&
        error.providerStatus
      ) {
        const { providerStatus, providerHeaders, providerBody } = error;
        res
          .writeHead(providerStatus, { ...providerHeaders, 'content-type': 'application/json' })
          .end(providerBody.text);
        return;
      }
      const answer = anthropicError(error);
      if (answer.unexpected) this.logger.error(error);
      res
        .writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body));
    }
  }
}
