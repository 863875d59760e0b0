import type { ProjectModelState } from '@sightline/schemas';
import { CATALOG_MODELS } from '../catalog/models.data';
import { goneModelError } from './gone-model';

const removed = (over: Partial<ProjectModelState>): ProjectModelState => ({
  modelId: 'm_1',
  projectId: 'p_1',
  name: 'support-bot',
  provider: 'openai',
  wireModel: 'ft:gpt-4o-mini:acme::abc123',
  baseModel: null,
  contextWindow: null,
  maxOutputTokens: null,
  inputPerMTok: null,
  outputPerMTok: null,
  createdAt: '2026-10-01T00:00:00.000Z',
  createdBy: null,
  removedAt: '2026-11-02T09:00:00.000Z',
  ...over,
});

describe('goneModelError: a replay whose model no longer routes is refused with the catalog closest models', () => {
  it('given a removed project model with a base model, says it was removed and offers its base model first', () => {
    const error = goneModelError(
      { requested: 'support-bot', provider: 'openai', removed: removed({ baseModel: 'gpt-4o-mini' }) },
      CATALOG_MODELS,
    );

    expect(error).toMatchObject({ reason: 'model_not_found', model: 'support-bot' });
    expect(error.suggestions[0]).toBe('gpt-4o-mini');
    expect(error.suggestions.length).toBeGreaterThan(0);
    expect(error.message).toMatch(
      /^'support-bot' was a model of this project \(openai 'ft:gpt-4o-mini:acme::abc123'\), removed on 2026-11-02/,
    );
    expect(error.message).toContain("'gpt-4o-mini'");
  });

  it('given a removed fine-tune with no base model, offers the catalog models its provider name holds, longest first', () => {
    const error = goneModelError({ requested: 'support-bot', removed: removed({}) }, CATALOG_MODELS);

    expect(error.suggestions.slice(0, 2)).toEqual(['gpt-4o-mini', 'gpt-4o']);
  });

  it('given a removed self-hosted model whose name is like nothing in the catalog, offers its provider models', () => {
    const error = goneModelError(
      { requested: 'house-llm', removed: removed({ provider: 'mock', wireModel: 'house-llm-v3' }) },
      CATALOG_MODELS,
    );

    expect(error.suggestions).toEqual(expect.arrayContaining(['mock-1', 'mock-large']));
  });

  it('given a gone catalog model, offers the closest names, then the models of the provider that served it', () => {
    expect(goneModelError({ requested: 'mokc-1' }, CATALOG_MODELS).suggestions[0]).toBe('mock-1');
    const far = goneModelError({ requested: 'zz-retired-9', provider: 'mock' }, CATALOG_MODELS);
    expect(far.suggestions).toEqual(expect.arrayContaining(['mock-1', 'mock-large']));
    expect(far.message).toMatch(/^No provider serves the model 'zz-retired-9' any more\. Closest models/);
    expect(goneModelError({ requested: 'zz-retired-9' }, CATALOG_MODELS).suggestions).toEqual([]);
  });
});
