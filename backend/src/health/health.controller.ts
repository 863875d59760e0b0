import { Controller, Get } from '@nestjs/common';

@Controller()
export class HealthController {
  /** Liveness: the process is up and its modules started. */
  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
