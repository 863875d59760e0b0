import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { Direct } from '../../http/direct-routes';
import type { IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import { GatewayPipeline, type GatewayEndpoint } from '../gateway-pipeline';
import { responsesEndpoint } from './responses-endpoint';
import { ResponsesTransports } from './responses-transports';

/** `POST /v1/responses`: point an OpenAI SDK's base URL at `<sightline>/v1` and call `responses`. */
@Controller('v1')
export class ResponsesController {
  private readonly endpoint: GatewayEndpoint;

  constructor(
    @Inject(GatewayPipeline) private readonly gateway: GatewayPipeline,
    @Inject(ResponsesTransports) transports: ResponsesTransports,
  ) {
    this.endpoint = responsesEndpoint(transports);
  }

  @Post('responses')
  @Direct()
  responses(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.gateway.handle(this.endpoint, req, res);
  }
}
