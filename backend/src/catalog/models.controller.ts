import { Controller, Get, Inject, Logger, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CallerResolver } from '../auth/caller';
import { UnknownModelError } from '../common/errors';
import { ControlPlane } from '../control/control-plane';
import { customModelPrice, customPriceOn } from '../costs/custom-price-index';
import { GatewayRateLimit } from '../gateway/gateway-rate-limit';
import { openAiError } from '../gateway/openai-errors';
import { AvailableModels, type ListedModel } from './available-models';
import { priceOn, type ModelPrice } from './catalog-model';
import { closeMatches } from './model-catalog';

const PROJECT_HEADER = /^[A-Za-z0-9_.:-]{1,128}$/;
const PREFIX = '/v1/models/';

/** One model in OpenAI's list shape, with Sightline's facts under `sightline` (SDKs ignore it). */
function openAiModel({ model, own }: ListedModel, today: string, custom: ModelPrice | undefined) {
  const price = priceOn(model, today) ?? null;
  const since = model.prices[0]?.effectiveFrom;
  return {
    id: model.id,
    object: 'model' as const,
    created: since ? Math.floor(Date.parse(since) / 1000) : 0,
    owned_by: model.provider,
    sightline: {
      provider: model.provider,
      wire_model: model.wireModel ?? model.id,
      own,
      context_window: model.contextWindow || null,
      max_output_tokens: model.maxOutputTokens || null,
      input_modalities: model.input,
      output_modalities: model.output,
      tools: model.tools,
      structured_output: model.structuredOutput,
      price,
      /** What generations starting today are costed at: the project's custom price when one is in force. */
      price_in_force: custom ?? price,
    },
  };
}

/**
 * `GET /v1/models` (OpenAI's list) and `GET /v1/models/{model}`: the models the caller's project
 * can call now (its own and the catalog's whose provider is configured). Authenticated like the
 * gateway; errors in OpenAI's shape.
 */
@Controller('v1')
export class ModelsController {
  private readonly logger = new Logger(ModelsController.name);

  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(GatewayRateLimit) private readonly limits: GatewayRateLimit,
    @Inject(AvailableModels) private readonly available: AvailableModels,
    @Inject(ControlPlane) private readonly control: ControlPlane,
  ) {}

  @Get('models')
  list(@Req() req: Request, @Res() res: Response): void {
    this.answer(res, () => {
      const today = new Date().toISOString().slice(0, 10);
      const { projectId, models } = this.usable(req);
      return {
        object: 'list',
        data: models.map((m) => openAiModel(m, today, this.customPrice(projectId, m, today))),
      };
    });
  }

  /** The id may hold slashes (`groq/llama-3.3-70b-versatile`), so it is read from the path. */
  @Get('models/*model')
  retrieve(@Req() req: Request, @Res() res: Response): void {
    this.answer(res, () => {
      const id = decodeURIComponent(req.path.slice(PREFIX.length));
      const { projectId, models: usable } = this.usable(req);
      const found = usable.find((m) => m.model.id === id);
      if (!found)
        throw new UnknownModelError(
          id,
          closeMatches(
            id,
            usable.map((m) => m.model.id),
          ),
        );
      const today = new Date().toISOString().slice(0, 10);
      return openAiModel(found, today, this.customPrice(projectId, found, today));
    });
  }

  private customPrice(projectId: string, { model }: ListedModel, today: string): ModelPrice | undefined {
    const prices = this.control.current.customPrices.values();
    const state = customPriceOn(prices, projectId, model.provider, model.id, today);
    return state ? customModelPrice(state) : undefined;
  }

  private usable(req: Request): { projectId: string; models: ListedModel[] } {
    const caller = this.callers.fromHttp(req);
    const project = req.headers['x-sightline-project-id'];
    const access = this.callers.authorize(
      caller,
      typeof project === 'string' && PROJECT_HEADER.test(project) ? project : undefined,
      'viewer',
    );
    this.limits.check(caller.kind === 'api-key' ? caller.keyId : access.projectId);
    return {
      projectId: access.projectId,
      models: this.available.list(access.projectId).filter((m) => m.usable),
    };
  }

  private answer(res: Response, body: () => unknown): void {
    try {
      res.status(200).json(body());
    } catch (error) {
      const { status, headers, body: errorBody, unexpected } = openAiError(error);
      if (unexpected) this.logger.error(error);
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.status(status).json(errorBody);
    }
  }
}
