import { configureHint, providerInfo } from '../catalog/providers';
import type { ModelCatalog, ResolvedModel } from '../catalog/model-catalog';
import type { ProjectModels } from '../catalog/project-models';
import type { Clock } from '../common/clock';
import { InvalidInputError, ProviderError, ProviderNotConfiguredError } from '../common/errors';
import type { ProviderAdapters } from '../providers/adapters';
import type { CredentialSource } from '../providers/credentials';
import type { ProviderAdapter, ProviderCredential } from '../providers/upstream';
import { CredentialPool } from './credential-pool';
import type { Random } from '../common/random';
import { backoffMs, isRetryable, mayFallBack, retryAfterMs } from './retry-policy';
import { Router, type RouteOptions, type RouteTarget, type RouteTimeouts } from './router';
import type { RoutingSettings } from './routing-settings';

/** A model ready to be tried: its resolution, transport and the project's credentials for it. */
interface Route {
  readonly resolved: ResolvedModel;
  readonly providerName: string;
  readonly adapter: ProviderAdapter;
  readonly credentials: readonly ProviderCredential[];
}

type Attempt<T> = (target: RouteTarget, signal: AbortSignal, timeouts: RouteTimeouts) => Promise<T>;
type Outcome<T> = { readonly target: RouteTarget; readonly result: T; readonly timeouts: RouteTimeouts };

/** A key the provider refused (401/403) rests this long while the provider's other keys serve. */
const REFUSED_KEY_REST_MS = 60_000;

export interface CatalogRouterDeps {
  readonly catalog: ModelCatalog;
  readonly projectModels: ProjectModels;
  readonly adapters: ProviderAdapters;
  readonly credentials: CredentialSource;
  readonly settings: RoutingSettings;
  readonly clock: Clock;
  readonly random: Random;
}

/**
 * The router over the model catalog: resolves the name (project models, catalog, prefixes,
 * families), then tries the model's credentials with retries, then its fallbacks. Every rule is in
 * `retry-policy.ts` and `credential-pool.ts`; time and chance come from the injected clock and random.
 */
export class CatalogRouter extends Router {
  private readonly pool = new CredentialPool();

  constructor(private readonly deps: CatalogRouterDeps) {
    super();
  }

  async run<T>(
    projectId: string,
    requestedModel: string,
    signal: AbortSignal,
    attempt: Attempt<T>,
    options: RouteOptions = {},
  ): Promise<Outcome<T>> {
    const deadline = this.deps.clock.monotonicMs() + this.deps.settings.totalTimeoutMs;
    const routes = [
      this.route(projectId, requestedModel),
      ...this.fallbacks(projectId, requestedModel, options),
    ];
    let last: unknown;
    for (const route of routes) {
      try {
        return await this.tryRoute(route, signal, attempt, deadline);
      } catch (error) {
        if (signal.aborted || !(error instanceof ProviderError) || !mayFallBack(error)) throw error;
        last = error;
      }
    }
    throw last;
  }

  /** @throws UnknownModelError, ProviderNotConfiguredError, or `provider_not_supported` without an adapter. */
  private route(projectId: string, name: string): Route {
    const resolved = this.deps.catalog.resolve(name, this.deps.projectModels.forProject(projectId));
    const info = providerInfo(resolved.provider);
    const providerName = info?.name ?? resolved.provider;
    const adapter = this.deps.adapters.get(resolved.provider);
    if (!info || !adapter)
      throw new InvalidInputError(
        `The model '${name}' is served by ${providerName}, which this Sightline build cannot call yet.`,
        'provider_not_supported',
        'model',
      );
    const credentials = this.deps.credentials.forProject(projectId, resolved.provider);
    if (!credentials.length)
      throw new ProviderNotConfiguredError(name, info.id, info.name, configureHint(info));
    return { resolved, providerName, adapter, credentials };
  }

  /**
   * The call's own fallbacks are checked like the model (an unknown one is the caller's error);
   * the instance's are skipped when this project cannot use them.
   */
  private fallbacks(projectId: string, requested: string, options: RouteOptions): Route[] {
    if (options.fallbacks) return options.fallbacks.map((name) => this.route(projectId, name));
    const configured = this.deps.settings.fallbacks;
    const catalogId = this.deps.catalog.get(requested)?.id;
    const names = configured[requested] ?? (catalogId ? configured[catalogId] : undefined) ?? [];
    return names.flatMap((name) => {
      try {
        return [this.route(projectId, name)];
      } catch {
        return [];
      }
    });
  }

  /** Up to `maxAttempts` attempts on one model, spread over its credentials. */
  private async tryRoute<T>(
    route: Route,
    signal: AbortSignal,
    attempt: Attempt<T>,
    deadline: number,
  ): Promise<Outcome<T>> {
    const { clock, random, settings } = this.deps;
    for (let retry = 0; ;) {
      const now = clock.monotonicMs();
      if (deadline <= now) throw this.timeout(route, settings.totalTimeoutMs);
      const credential = this.pool.pick(route.credentials, route.resolved.wireModel, now, random.next());
      try {
        return await this.once(route, credential, signal, attempt, deadline - now);
      } catch (error) {
        if (signal.aborted || !(error instanceof ProviderError)) throw error;
        const wait = this.afterFailure(route, credential, error, retry);
        retry += 1;
        if (wait === 'give-up' || retry >= settings.maxAttempts) throw error;
        if (wait >= deadline - clock.monotonicMs()) throw error;
        if (wait > 0) await clock.sleep(wait, signal);
      }
    }
  }

  /**
   * Rests the credential for this model when the provider limited or refused it, and says how
   * long to wait before the next attempt: 0 when another key is ready to take it, `give-up` when
   * this model is done (not retryable, or asked to wait longer than `maxRetryAfterMs`).
   */
  private afterFailure(
    route: Route,
    credential: ProviderCredential,
    error: ProviderError,
    retry: number,
  ): number | 'give-up' {
    const { clock, random, settings } = this.deps;
    const now = clock.monotonicMs();
    const asked = retryAfterMs(error, clock.now().getTime());
    const wait = backoffMs(retry, settings, random.next(), asked);
    const status = error.providerStatus;
    const model = route.resolved.wireModel;
    if (status === 429) this.pool.rest(credential, model, now, wait);
    if (status === 401 || status === 403) this.pool.rest(credential, model, now, REFUSED_KEY_REST_MS);
    const otherReady = this.pool.ready(route.credentials, model, now).some((c) => c !== credential);
    if (status === 401 || status === 403) return otherReady ? 0 : 'give-up';
    if (!isRetryable(error)) return 'give-up';
    if (status === 429 && otherReady) return 0;
    return wait > settings.maxRetryAfterMs ? 'give-up' : wait;
  }

  /**
   * One attempt. Its signal aborts when the caller's does, or when no answer came within the
   * first-token timeout (a timeout `ProviderError`, retryable). Once the attempt resolved (headers
   * arrived), only the caller's abort reaches it: the caller enforces the stream's own timeouts.
   */
  private async once<T>(
    route: Route,
    credential: ProviderCredential,
    signal: AbortSignal,
    attempt: Attempt<T>,
    remainingMs: number,
  ): Promise<Outcome<T>> {
    const timeouts: RouteTimeouts = {
      totalMs: remainingMs,
      firstTokenMs: Math.min(this.deps.settings.firstTokenTimeoutMs, remainingMs),
    };
    const target: RouteTarget = { adapter: route.adapter, model: route.resolved.wireModel, credential };
    const controller = new AbortController();
    const forward = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let cancelTimer = (): void => undefined;
    // Never settles unless the first token is late: the attempt's own outcome wins the race.
    const timedOut = new Promise<never>((_, reject) => {
      cancelTimer = this.deps.clock.timer(timeouts.firstTokenMs, () => {
        const error = this.timeout(route, timeouts.firstTokenMs);
        controller.abort(error);
        reject(error);
      });
    });
    try {
      const result = await Promise.race([attempt(target, controller.signal, timeouts), timedOut]);
      return { target, result, timeouts };
    } catch (error) {
      signal.removeEventListener('abort', forward);
      const reason: unknown = controller.signal.reason;
      // The attempt may reject with its own AbortError before the timer's error lands.
      throw !signal.aborted && reason instanceof ProviderError ? reason : error;
    } finally {
      cancelTimer();
    }
  }

  private timeout(route: Route, ms: number): ProviderError {
    return new ProviderError(`${route.providerName} sent no answer within ${ms} ms`, null, 'timeout');
  }
}
