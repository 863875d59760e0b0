import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { IngestResponse } from '@sightline/schemas';
import type { Request } from 'express';
import { CallerResolver } from '../auth/caller';
import { Clock } from '../common/clock';
import { costData, Pricing } from '../costs/pricing';
import type { PriceGeneration } from '../costs/span-costs';
import { EventRecorder } from '../eventlog/event-recorder';
import { readBatch } from './read-batch';
import { sortBatch } from './ingest-items';
import { RecentTraceAttributes, traceAttributesOf } from './trace-attributes';

const PROJECT_HEADER = 'x-sightline-project-id';

/**
 * `POST /api/ingest`: spans, generations and scores in one batch (schema: `ingest-batch` in
 * schemas/). Authenticated like the gateway: a project API key (`Authorization: Bearer sl_…`), or a
 * member's session with `x-sightline-project-id`. Answers 207 once every accepted item is in the log.
 * User and session are trace-level: a span stating neither carries its trace's (see `trace-attributes`).
 */
@Controller('api')
export class IngestController {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Pricing) private readonly pricing: Pricing,
    @Inject(RecentTraceAttributes) private readonly recent: RecentTraceAttributes,
  ) {}

  @Post('ingest')
  @HttpCode(207)
  async ingest(@Req() req: Request): Promise<IngestResponse> {
    const project = req.headers[PROJECT_HEADER];
    const caller = this.callers.fromHttp(req);
    const access = this.callers.authorize(
      caller,
      typeof project === 'string' ? project : undefined,
      'member',
    );
    const { projectId } = access;
    const price: PriceGeneration = (model, provider, usage, at) =>
      costData(this.pricing.costOf(projectId, model, provider, usage, at));
    const { items, bytes } = await readBatch(req);
    const sorted = sortBatch(items, {
      projectId,
      now: this.clock.now(),
      price,
      encode: (event) => this.recorder.encode(event),
      bodyBytes: bytes,
      // Like a gateway call: the key that sent a generation is its spender (budgets, analytics).
      ...(caller.kind === 'api-key' ? { apiKeyId: caller.keyId } : {}),
      attributes: (spans) => traceAttributesOf(projectId, spans, this.recent),
    });
    await this.recorder.append(sorted.records);
    return { successes: [...sorted.successes], errors: [...sorted.errors] };
  }
}
