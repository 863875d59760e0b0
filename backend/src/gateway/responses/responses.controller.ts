import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
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
  responses(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.gateway.handle(this.endpoint, req, res);
  }
}
