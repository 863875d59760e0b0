import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { Direct } from '../http/direct-routes';
import type { IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import { openAiChat } from '../providers/wire/openai-chat/openai-chat.format';
import { GatewayPipeline, type GatewayEndpoint } from './gateway-pipeline';
import { openAiError } from './openai-errors';

/** OpenAI's Chat Completions for callers: errors in OpenAI's shape, also inside a stream. */
export const CHAT_COMPLETIONS: GatewayEndpoint = {
  format: openAiChat,
  error: openAiError,
  streamError: (answer) => `data: ${JSON.stringify(answer.body)}\n\n`,
};

/** `POST /v1/chat/completions`: point an OpenAI SDK's base URL at `<sightline>/v1`. */
@Controller('v1')
export class ChatCompletionsController {
  constructor(@Inject(GatewayPipeline) private readonly gateway: GatewayPipeline) {}

  @Post('chat/completions')
  @Direct()
  chatCompletions(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.gateway.handle(CHAT_COMPLETIONS, req, res);
  }
}
