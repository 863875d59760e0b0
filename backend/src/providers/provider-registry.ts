import { Inject, Injectable } from '@nestjs/common';
import { UnknownModelError } from '../common/errors';
import { Router, type RouteTarget, type RouteTimeouts } from '../routing/router';
import { UpstreamHttp } from './http/upstream-http';
import { isMockModel, MockAdapter } from './mock/mock.adapter';
import { OpenAiAdapter } from './openai/openai.adapter';

/** Injection token of the {@link ProvidersConfig} the router is built from (the app's config provides it). */
export const PROVIDERS_CONFIG = Symbol('PROVIDERS_CONFIG');

export interface ProvidersConfig {
  /** Pace of the mock provider's streams (`MOCK_TOKEN_INTERVAL_MS`). */
  readonly mockTokenIntervalMs: number;
  /** Set → OpenAI models are served by this endpoint. */
  readonly openai?: {
    /** Including the version path, e.g. `https://api.openai.com/v1`. */
    readonly baseUrl: string;
    readonly apiKey?: string;
  };
}

export const DEFAULT_TIMEOUTS: RouteTimeouts = { totalMs: 600_000, firstTokenMs: 600_000 };

const OPENAI_PREFIX = 'openai/';

/** Models OpenAI serves: its families, or any `openai/<model>` (the prefix is stripped on the wire). */
export function isOpenAiModel(model: string): boolean {
  if (model.startsWith(OPENAI_PREFIX)) return model.length > OPENAI_PREFIX.length;
  return /^(gpt-|o1|o3|o4|chatgpt-)/.test(model);
}

/**
 * The instance's routes from its environment: `mock-*` to the in-process mock, OpenAI's model
 * families to OpenAI when configured. One target per model, one attempt (no retry, no fallback).
 */
@Injectable()
export class EnvRouter extends Router {
  private readonly mock: MockAdapter;
  private readonly openai: OpenAiAdapter;

  constructor(
    @Inject(PROVIDERS_CONFIG) private readonly config: ProvidersConfig,
    @Inject(UpstreamHttp) http: UpstreamHttp,
  ) {
    super();
    this.mock = new MockAdapter({ tokenIntervalMs: config.mockTokenIntervalMs });
    this.openai = new OpenAiAdapter(http);
  }

  /** The target serving `model`; throws {@link UnknownModelError} when none does. */
  resolve(model: string): RouteTarget {
    if (isMockModel(model))
      return { adapter: this.mock, model, credential: { id: 'mock', baseUrl: 'mock:' } };
    const openai = this.config.openai;
    if (openai && isOpenAiModel(model)) {
      return {
        adapter: this.openai,
        model: model.startsWith(OPENAI_PREFIX) ? model.slice(OPENAI_PREFIX.length) : model,
        credential: { id: 'env:openai', baseUrl: openai.baseUrl, apiKey: openai.apiKey },
      };
    }
    throw new UnknownModelError(model);
  }

  async run<T>(
    _projectId: string,
    requestedModel: string,
    signal: AbortSignal,
    attempt: (target: RouteTarget, signal: AbortSignal, timeouts: RouteTimeouts) => Promise<T>,
  ): Promise<{ readonly target: RouteTarget; readonly result: T; readonly timeouts: RouteTimeouts }> {
    const target = this.resolve(requestedModel);
    const result = await attempt(target, signal, DEFAULT_TIMEOUTS);
    return { target, result, timeouts: DEFAULT_TIMEOUTS };
  }
}
