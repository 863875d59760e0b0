import { Inject, Injectable } from '@nestjs/common';
import { MockProvider } from './mock/mock.provider';
import { OpenAiCompatibleProvider } from './openai/openai.provider';
import { UnknownModelError } from '../common/errors';
import type { LlmProvider } from './provider';

/** Injection token of the {@link ProvidersConfig} the registry is built from (the app's config provides it). */
export const PROVIDERS_CONFIG = Symbol('PROVIDERS_CONFIG');

export interface ProvidersConfig {
  /** Pace of the mock provider's streams (`MOCK_TOKEN_INTERVAL_MS`). */
  readonly mockTokenIntervalMs: number;
  /** Set → OpenAI models are served by this endpoint. */
  readonly openai?: {
    /** Including the version path, e.g. `https://api.openai.com/v1`. */
    readonly baseUrl: string;
    readonly apiKey?: string;
    /** Default {@link DEFAULT_OPENAI_TIMEOUT_MS}. */
    readonly timeoutMs?: number;
  };
}

export const DEFAULT_OPENAI_TIMEOUT_MS = 600_000;

export interface ProviderRoute {
  /** Provider id, e.g. `mock`, `openai`. */
  readonly provider: string;
  /** Glob-like model pattern, e.g. `gpt-*`. */
  readonly modelPattern: string;
}

const OPENAI_PREFIX = 'openai/';
const MOCK_PATTERNS = ['mock-*'];
const OPENAI_PATTERNS = ['gpt-*', 'o1*', 'o3*', 'o4*', 'chatgpt-*', `${OPENAI_PREFIX}*`];

/** Models OpenAI serves: its families, or any `openai/<model>` (the prefix is stripped on the wire). */
export function isOpenAiModel(model: string): boolean {
  if (model.startsWith(OPENAI_PREFIX)) return model.length > OPENAI_PREFIX.length;
  return /^(gpt-|o1|o3|o4|chatgpt-)/.test(model);
}

/** Routes a model name to the provider that serves it. */
@Injectable()
export class ProviderRegistry {
  private readonly routes: readonly {
    readonly provider: LlmProvider;
    readonly patterns: readonly string[];
  }[];

  constructor(@Inject(PROVIDERS_CONFIG) config: ProvidersConfig) {
    const routes: { provider: LlmProvider; patterns: readonly string[] }[] = [
      {
        provider: new MockProvider({ tokenIntervalMs: config.mockTokenIntervalMs }),
        patterns: MOCK_PATTERNS,
      },
    ];
    if (config.openai) {
      const openai = new OpenAiCompatibleProvider({
        id: 'openai',
        baseUrl: config.openai.baseUrl,
        apiKey: config.openai.apiKey,
        models: isOpenAiModel,
        wireModel: (model) => (model.startsWith(OPENAI_PREFIX) ? model.slice(OPENAI_PREFIX.length) : model),
        timeoutMs: config.openai.timeoutMs ?? DEFAULT_OPENAI_TIMEOUT_MS,
      });
      routes.push({ provider: openai, patterns: OPENAI_PATTERNS });
    }
    this.routes = routes;
  }

  /** The provider serving `model`; throws {@link UnknownModelError} when none does. */
  resolve(model: string): LlmProvider {
    const route = this.routes.find((r) => r.provider.supports(model));
    if (!route) throw new UnknownModelError(model);
    return route.provider;
  }

  /** The routing table, in resolution order. */
  list(): readonly ProviderRoute[] {
    return this.routes.flatMap((r) =>
      r.patterns.map((modelPattern) => ({ provider: r.provider.id, modelPattern })),
    );
  }
}
