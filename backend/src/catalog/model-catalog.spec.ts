import { UnknownModelError } from '../common/errors';
import { priceOn, type CatalogModel } from './catalog-model';
import { closeMatches, ModelCatalog } from './model-catalog';
import { CATALOG_MODELS } from './models.data';
import { providerInfo } from './providers';

describe('the model catalog', () => {
  const catalog = new ModelCatalog();

  it('lists at least 40 models from at least 8 providers, each provider known', () => {
    expect(CATALOG_MODELS.length).toBeGreaterThanOrEqual(40);
    const providers = new Set(CATALOG_MODELS.map((m) => m.provider));
    expect(providers.size).toBeGreaterThanOrEqual(8);
    for (const provider of providers) expect(providerInfo(provider)).toBeDefined();
  });

  it('gives every model limits and capabilities, and every hosted model a dated, sourced price', () => {
    for (const model of CATALOG_MODELS) {
      expect(model.contextWindow).toBeGreaterThan(0);
      expect(model.maxOutputTokens).toBeGreaterThan(0);
      expect(model.maxOutputTokens).toBeLessThanOrEqual(model.contextWindow);
      expect(model.input).toContain('text');
      if (model.provider === 'mock') continue;
      expect(model.prices.length).toBeGreaterThan(0);
      for (const price of model.prices) {
        expect(price.source.url).toMatch(/^https:\/\//);
        expect(price.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.source.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.outputPerMTok).toBeGreaterThan(0);
      }
      const dates = model.prices.map((p) => p.effectiveFrom);
      expect([...dates].sort()).toEqual(dates);
    }
  });

  it('prices a call by the entry in effect on its day', () => {
    const chat = catalog.get('deepseek-chat')!;
    expect(priceOn(chat, '2025-09-01')).toBeUndefined();
    expect(priceOn(chat, '2025-09-10')?.inputPerMTok).toBe(0.56);
    expect(priceOn(chat, '2026-11-30')).toMatchObject({ inputPerMTok: 0.28, cachedInputPerMTok: 0.028 });
  });

  it('finds a model by id or by an alias its provider accepts', () => {
    expect(catalog.get('claude-sonnet-4-5')?.id).toBe('claude-sonnet-4-5-20250929');
    expect(catalog.resolve('claude-sonnet-4-5')).toMatchObject({
      provider: 'anthropic',
      wireModel: 'claude-sonnet-4-5',
      model: { id: 'claude-sonnet-4-5-20250929' },
    });
    expect(catalog.resolve('anthropic/claude-sonnet-4-5').model?.id).toBe('claude-sonnet-4-5-20250929');
  });

  it('routes names it does not list by prefix or family, without catalog facts', () => {
    expect(catalog.resolve('openrouter/meta-llama/llama-3.1-405b')).toEqual({
      requested: 'openrouter/meta-llama/llama-3.1-405b',
      provider: 'openrouter',
      wireModel: 'meta-llama/llama-3.1-405b',
      model: undefined,
    });
    expect(catalog.resolve('ollama/llama3.2').wireModel).toBe('llama3.2');
    expect(catalog.resolve('gpt-6')).toMatchObject({ provider: 'openai', wireModel: 'gpt-6' });
    expect(catalog.resolve('mistral-large-latest').provider).toBe('mistral');
    expect(catalog.resolve('command-a-reasoning-08-2025').provider).toBe('cohere');
  });

  it('does not take an unknown prefix for a provider', () => {
    expect(() => catalog.resolve('acme/model-x')).toThrow(UnknownModelError);
  });

  it('refuses a catalog that lists a name twice', () => {
    const twice: CatalogModel = { ...CATALOG_MODELS[0], id: 'other', aliases: [CATALOG_MODELS[0].id] };
    expect(() => new ModelCatalog([CATALOG_MODELS[0], twice])).toThrow(/listed twice/);
  });
});

describe('close matches', () => {
  const names = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'gemini-2.5-pro'];

  it('offers up to three names a few edits away, best first', () => {
    expect(closeMatches('gpt4o', names)[0]).toBe('gpt-4o');
    expect(closeMatches('claude-sonet-4-5', names)).toEqual(['claude-sonnet-4-5']);
    expect(closeMatches('GEMINI-2.5-PRO', names)).toEqual(['gemini-2.5-pro']);
  });

  it('offers nothing for a name far from all of them', () => {
    expect(closeMatches('llama-70b', names)).toEqual([]);
  });
});
