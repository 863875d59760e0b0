import { VirtualClock } from '../../test/support/virtual-clock';
import type { CatalogModel } from '../catalog/catalog-model';
import { ModelCatalog } from '../catalog/model-catalog';
import { ProjectModels } from '../catalog/project-models';
import type { Clock } from '../common/clock';
import { ProviderError, ProviderNotConfiguredError, UnknownModelError } from '../common/errors';
import { ProviderAdapters } from '../providers/adapters';
import { CredentialSource } from '../providers/credentials';
import { EnvCredentialSource, parseEnvCredentials } from '../providers/env-credentials';
import type { ProviderAdapter, ProviderCredential } from '../providers/upstream';
import { CatalogRouter } from './catalog-router';
import type { Random } from '../common/random';
import type { RouteTarget, RouteTimeouts } from './router';
import { DEFAULT_ROUTING, type RoutingSettings } from './routing-settings';

const adapter = (id: string): ProviderAdapter => ({
  id,
  format: 'openai-chat',
  call: () => Promise.reject(new Error('the tests call through the attempt callback')),
});
const ADAPTERS = new ProviderAdapters(
  ['openai', 'anthropic', 'gemini', 'bedrock', 'groq', 'azure', 'mock'].map(adapter),
);

class OwnModels extends ProjectModels {
  constructor(private readonly models: Record<string, readonly CatalogModel[]> = {}) {
    super();
  }
  forProject(projectId: string): readonly CatalogModel[] {
    return this.models[projectId] ?? [];
  }
}

/** Randomness from a list, then repeating its last value. */
class ScriptedRandom implements Random {
  constructor(private readonly values: number[] = [0]) {}
  next(): number {
    return this.values.length > 1 ? this.values.shift()! : this.values[0];
  }
}

type Step = 'ok' | 'hang' | ProviderError;

interface Tried {
  readonly target: RouteTarget;
  readonly signal: AbortSignal;
  readonly timeouts: RouteTimeouts;
}

interface Setup {
  readonly env?: NodeJS.ProcessEnv;
  readonly settings?: Partial<RoutingSettings>;
  readonly random?: number[];
  readonly credentials?: CredentialSource;
  readonly own?: Record<string, readonly CatalogModel[]>;
}

function setup(options: Setup = {}) {
  const clock = new VirtualClock();
  const router = new CatalogRouter({
    catalog: new ModelCatalog(),
    projectModels: new OwnModels(options.own),
    adapters: ADAPTERS,
    credentials:
      options.credentials ??
      new EnvCredentialSource(parseEnvCredentials(options.env ?? { OPENAI_API_KEY: 'sk-1' })),
    settings: { ...DEFAULT_ROUTING, ...options.settings },
    clock: clock as unknown as Clock,
    random: new ScriptedRandom(options.random),
  });
  const tried: Tried[] = [];
  /** Runs `model` with attempts answering `steps` in order ('ok' after the script ends). */
  const run = (
    model: string,
    steps: Step[] = [],
    signal = new AbortController().signal,
    fallbacks?: string[],
  ) =>
    clock.settle(
      router.run(
        'p1',
        model,
        signal,
        (target, attemptSignal, timeouts) => {
          tried.push({ target, signal: attemptSignal, timeouts });
          const step = steps.shift() ?? 'ok';
          if (step === 'ok') return Promise.resolve(`${target.adapter.id}:${target.model}`);
          if (step === 'hang')
            return new Promise<string>((_, reject) =>
              attemptSignal.addEventListener('abort', () =>
                reject(new DOMException('aborted', 'AbortError')),
              ),
            );
          return Promise.reject(step);
        },
        fallbacks ? { fallbacks } : {},
      ),
    );
  return { clock, router, tried, run };
}

const overloaded = (headers: Record<string, string> = {}) =>
  new ProviderError('Service Unavailable', 503, 'provider_error', headers);
const limited = (headers: Record<string, string> = {}) =>
  new ProviderError('Rate limit reached', 429, 'provider_error', headers);

describe('CatalogRouter: names', () => {
  const env = {
    OPENAI_API_KEY: 'sk',
    ANTHROPIC_API_KEY: 'ant',
    GEMINI_API_KEY: 'g',
    GROQ_API_KEY: 'gsk',
    AZURE_OPENAI_API_KEY: 'az',
    AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com',
    AWS_ACCESS_KEY_ID: 'AKIA',
    AWS_SECRET_ACCESS_KEY: 's',
  };

  it.each([
    ['gpt-4o', 'openai', 'gpt-4o'],
    ['openai/gpt-4o-mini', 'openai', 'gpt-4o-mini'],
    ['gpt-7-turbo', 'openai', 'gpt-7-turbo'],
    ['claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5-20250929', 'anthropic', 'claude-sonnet-4-5-20250929'],
    ['anthropic/claude-haiku-4-5', 'anthropic', 'claude-haiku-4-5'],
    ['gemini/gemini-2.5-flash', 'gemini', 'gemini-2.5-flash'],
    ['gemini-9-ultra', 'gemini', 'gemini-9-ultra'],
    ['groq/llama-3.3-70b-versatile', 'groq', 'llama-3.3-70b-versatile'],
    ['groq/openai/gpt-oss-120b', 'groq', 'openai/gpt-oss-120b'],
    ['bedrock/amazon.nova-pro-v1:0', 'bedrock', 'amazon.nova-pro-v1:0'],
    [
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'bedrock',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    ['azure/my-gpt4o-deployment', 'azure', 'my-gpt4o-deployment'],
    ['mock-1', 'mock', 'mock-1'],
  ])('%s → %s with wire model %s', async (requested, provider, wire) => {
    const { run } = setup({ env });
    const { target, result } = await run(requested);
    expect([target.adapter.id, target.model]).toEqual([provider, wire]);
    expect(result).toBe(`${provider}:${wire}`);
  });

  it('answers an unknown model with close matches, before any attempt', async () => {
    const { run, tried } = setup({ env });
    const error: unknown = await run('claud-sonnet-4-5').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownModelError);
    expect((error as UnknownModelError).suggestions[0]).toBe('claude-sonnet-4-5');
    expect(tried).toHaveLength(0);
  });

  it('names the missing credential of a known model, before any attempt', async () => {
    const { run, tried } = setup({ env: {} });
    await expect(run('claude-sonnet-4-5')).rejects.toThrow(
      new ProviderNotConfiguredError(
        'claude-sonnet-4-5',
        'anthropic',
        'Anthropic',
        'set ANTHROPIC_API_KEY or add an Anthropic key in Settings → Providers',
      ),
    );
    expect(tried).toHaveLength(0);
  });

  it("routes a project's own model to its provider and wire name, for that project only", async () => {
    const own: CatalogModel = {
      id: 'support-bot',
      provider: 'openai',
      wireModel: 'ft:gpt-4o-mini:acme::abc123',
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
      input: ['text'],
      output: ['text'],
      tools: true,
      structuredOutput: true,
      prices: [],
    };
    const { run } = setup({ own: { p1: [own] } });
    expect((await run('support-bot')).target.model).toBe('ft:gpt-4o-mini:acme::abc123');
    const other = setup({ own: { p2: [own] } });
    await expect(other.run('support-bot')).rejects.toBeInstanceOf(UnknownModelError);
  });
});

describe('CatalogRouter: retries', () => {
  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    const { run, tried, clock } = setup({ random: [0, 0, 0, 1] });
    const { result } = await run('gpt-4o', [overloaded(), overloaded()]);
    expect(result).toBe('openai:gpt-4o');
    expect(tried).toHaveLength(3);
    // 500 ms then 1000 ms less 25 % jitter (random 1 on the second wait).
    expect(clock.waited).toEqual([500, 750]);
  });

  it('honours retry-after-ms, retry-after in seconds and as an HTTP date', async () => {
    const { run, clock } = setup();
    const inTwoSeconds = new Date(clock.now().getTime() + 2_000).toUTCString();
    await run('gpt-4o', [
      overloaded({ 'retry-after-ms': '1234' }),
      overloaded({ 'retry-after': inTwoSeconds }),
    ]);
    expect(clock.waited.slice(0, 2)).toEqual([1234, expect.closeTo(2_000 - 1_234, -3) as number]);
    const again = setup();
    await again.run('gpt-4o', [limited({ 'retry-after': '7' })]);
    expect(again.clock.waited).toEqual([7_000]);
  });

  it('stops after maxAttempts and answers the last provider error', async () => {
    const { run, tried } = setup({ settings: { maxAttempts: 2 } });
    const last = overloaded({ 'x-request-id': 'second' });
    await expect(run('gpt-4o', [overloaded(), last, overloaded()])).rejects.toBe(last);
    expect(tried).toHaveLength(2);
  });

  it('does not retry what the provider refused as invalid, nor when it says x-should-retry: false', async () => {
    const invalid = new ProviderError('bad request', 400, 'provider_error');
    const a = setup();
    await expect(a.run('gpt-4o', [invalid])).rejects.toBe(invalid);
    expect(a.tried).toHaveLength(1);
    const b = setup();
    await expect(b.run('gpt-4o', [overloaded({ 'x-should-retry': 'false' })])).rejects.toThrow(
      'Service Unavailable',
    );
    expect(b.tried).toHaveLength(1);
  });

  it('retries a connection failure (no status)', async () => {
    const { run, tried } = setup();
    await run('gpt-4o', [new ProviderError('ECONNREFUSED', null, 'provider_unreachable')]);
    expect(tried).toHaveLength(2);
  });
});

describe('CatalogRouter: fallbacks', () => {
  const env = { OPENAI_API_KEY: 'sk', ANTHROPIC_API_KEY: 'ant' };

  it("falls back to the instance's next model once the first one's attempts are spent", async () => {
    const { run, tried } = setup({
      env,
      settings: { maxAttempts: 2, fallbacks: { 'gpt-4o': ['claude-sonnet-4-5'] } },
    });
    const { target } = await run('gpt-4o', [overloaded(), overloaded()]);
    expect(target.adapter.id).toBe('anthropic');
    expect(tried.map((t) => t.target.adapter.id)).toEqual(['openai', 'openai', 'anthropic']);
  });

  it('falls back without waiting when the provider asks for longer than maxRetryAfterMs', async () => {
    const { run, clock, tried } = setup({
      env,
      settings: { fallbacks: { 'gpt-4o': ['claude-sonnet-4-5'] } },
    });
    await run('gpt-4o', [limited({ 'retry-after': '3600' })]);
    expect(tried.map((t) => t.target.adapter.id)).toEqual(['openai', 'anthropic']);
    expect(clock.waited).toEqual([]);
  });

  it("takes the call's own fallbacks over the instance's, and checks them before any attempt", async () => {
    const { run, tried } = setup({
      env,
      settings: { maxAttempts: 1, fallbacks: { 'gpt-4o': ['mock-large'] } },
    });
    const { target } = await run('gpt-4o', [overloaded()], undefined, ['claude-haiku-4-5']);
    expect(target.model).toBe('claude-haiku-4-5');
    await expect(run('gpt-4o', [], undefined, ['clade-haiku'])).rejects.toBeInstanceOf(UnknownModelError);
    expect(tried).toHaveLength(2);
  });

  it('skips instance fallbacks the project cannot use, and does not fall back on invalid requests', async () => {
    const { run, tried } = setup({
      env: { OPENAI_API_KEY: 'sk' },
      settings: { maxAttempts: 1, fallbacks: { 'gpt-4o': ['gemini-2.5-pro', 'mock-1'] } },
    });
    expect((await run('gpt-4o', [overloaded()])).target.model).toBe('mock-1');
    const invalid = new ProviderError('context length exceeded', 400, 'provider_error');
    await expect(run('gpt-4o', [invalid])).rejects.toBe(invalid);
    expect(tried.map((t) => t.target.model)).toEqual(['gpt-4o', 'mock-1', 'gpt-4o']);
  });
});

describe('CatalogRouter: several keys', () => {
  it('spreads calls by weight', async () => {
    const picks = Array.from({ length: 100 }, (_, i) => i / 100);
    const { run, tried } = setup({ env: { OPENAI_API_KEY: 'sk-a:3,sk-b' }, random: picks });
    for (let i = 0; i < 100; i++) await run('gpt-4o');
    const used = tried.map((t) => t.target.credential.id);
    expect(used.filter((id) => id === 'env:openai')).toHaveLength(75);
    expect(used.filter((id) => id === 'env:openai:2')).toHaveLength(25);
  });

  it('rests a rate-limited key for its retry-after while the other serves, then uses both again', async () => {
    const { run, tried, clock } = setup({ env: { OPENAI_API_KEY: 'sk-a,sk-b' }, random: [0] });
    await run('gpt-4o', [limited({ 'retry-after': '20' })]);
    expect(tried.map((t) => t.target.credential.id)).toEqual(['env:openai', 'env:openai:2']);
    expect(clock.waited).toEqual([]); // the other key took it at once
    await run('gpt-4o');
    expect(tried[2].target.credential.id).toBe('env:openai:2');
    await clock.advance(20_000);
    await run('gpt-4o');
    expect(tried[3].target.credential.id).toBe('env:openai');
  });

  it('moves to the next key when the provider refuses one (401)', async () => {
    const { run, tried } = setup({ env: { OPENAI_API_KEY: 'sk-a,sk-b' } });
    await run('gpt-4o', [new ProviderError('invalid key', 401, 'provider_error')]);
    expect(tried.map((t) => t.target.credential.id)).toEqual(['env:openai', 'env:openai:2']);
  });

  it('rests a key for the limited model only, and when every key rests lets the provider decide', async () => {
    const { run, tried, clock } = setup({ env: { OPENAI_API_KEY: 'sk-a' }, settings: { maxAttempts: 1 } });
    await expect(run('gpt-4o', [limited({ 'retry-after': '600' })])).rejects.toThrow('Rate limit reached');
    await run('gpt-4o-mini');
    await run('gpt-4o');
    expect(tried.map((t) => [t.target.model, t.target.credential.id])).toEqual([
      ['gpt-4o', 'env:openai'],
      ['gpt-4o-mini', 'env:openai'],
      ['gpt-4o', 'env:openai'],
    ]);
    expect(clock.waited).toEqual([]);
  });
});

describe('CatalogRouter: timeouts and cancellation', () => {
  it('aborts an attempt with no answer within the first-token timeout, and retries it', async () => {
    const { run, tried, clock } = setup({ settings: { firstTokenTimeoutMs: 1_000 } });
    const { result } = await run('gpt-4o', ['hang']);
    expect(result).toBe('openai:gpt-4o');
    expect(tried[0].signal.aborted).toBe(true);
    expect(tried[0].signal.reason).toMatchObject({ errorClass: 'timeout', providerStatus: null });
    expect(clock.waited[0]).toBe(1_000);
  });

  it('gives each attempt what is left of the overall timeout, and stops when it is spent', async () => {
    const { run, tried } = setup({
      settings: { totalTimeoutMs: 2_500, firstTokenTimeoutMs: 1_000, maxAttempts: 5 },
    });
    await expect(run('gpt-4o', ['hang', 'hang', 'hang', 'hang'])).rejects.toMatchObject({
      errorClass: 'timeout',
    });
    expect(tried[0].timeouts).toEqual({ totalMs: 2_500, firstTokenMs: 1_000 });
    expect(tried[1].timeouts.totalMs).toBeLessThan(1_500);
    expect(tried.length).toBeLessThan(4);
  });

  it('stops at once when the caller goes away during a backoff, and never retries after', async () => {
    const { router, clock, tried } = setup();
    const caller = new AbortController();
    const running = router.run('p1', 'gpt-4o', caller.signal, (target, signal) => {
      tried.push({ target, signal, timeouts: { totalMs: 0, firstTokenMs: 0 } });
      return Promise.reject(overloaded());
    });
    running.catch(() => undefined);
    await clock.advance(100);
    caller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(tried).toHaveLength(1);
  });

  it("passes the caller's abort to the attempt, also after it was accepted (a stream in flight)", async () => {
    const { router, clock } = setup({ settings: { firstTokenTimeoutMs: 1_000 } });
    const caller = new AbortController();
    const outcome = await router.run('p1', 'gpt-4o', caller.signal, (_target, signal) =>
      Promise.resolve(signal),
    );
    await clock.advance(5_000); // the first-token timer ended with the attempt
    expect(outcome.result.aborted).toBe(false);
    caller.abort();
    expect(outcome.result.aborted).toBe(true);
  });
});

it('CredentialSource is the seam for per-project keys', async () => {
  class PerProject extends CredentialSource {
    forProject(projectId: string, provider: string): readonly ProviderCredential[] {
      return projectId === 'p1' && provider === 'openai'
        ? [{ id: 'project-key', baseUrl: 'http://x/v1' }]
        : [];
    }
  }
  const { run } = setup({ credentials: new PerProject() });
  expect((await run('gpt-4o')).target.credential.id).toBe('project-key');
});
