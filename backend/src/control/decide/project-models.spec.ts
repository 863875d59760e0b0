import type { ProjectModelState } from '@sightline/schemas';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../common/errors';
import { emptyControlState, evolve } from '../control-state';
import { controlEvent, SYSTEM, type NewControlEvent } from '../control-events';
import { adminOnly, as, given, NOW, project, team } from '../../../test/support/control-given';
import type { AddProjectModel, ProjectModelInput, RemoveProjectModel } from './project-models';

const input: ProjectModelInput = {
  name: ' support-bot ',
  provider: 'openai',
  wireModel: 'ft:gpt-4o-mini:acme::abc123',
  baseModel: 'gpt-4o-mini',
  contextWindow: null,
  maxOutputTokens: null,
  inputPerMTok: 0.3,
  outputPerMTok: 1.2,
};
const state: ProjectModelState = {
  modelId: 'm_1',
  projectId: 'p',
  name: 'support-bot',
  provider: 'openai',
  wireModel: 'ft:gpt-4o-mini:acme::abc123',
  baseModel: 'gpt-4o-mini',
  contextWindow: null,
  maxOutputTokens: null,
  inputPerMTok: 0.3,
  outputPerMTok: 1.2,
  createdAt: NOW.toISOString(),
  createdBy: 'ada',
  removedAt: null,
};
const added: NewControlEvent = {
  type: 'project-model.added',
  entityKey: 'project-model:m_1',
  projectId: 'p',
  data: state,
};
const removed: NewControlEvent = {
  type: 'project-model.removed',
  entityKey: 'project-model:m_1',
  projectId: 'p',
  data: { ...state, removedAt: NOW.toISOString() },
};

const add = (
  over: Partial<ProjectModelInput> = {},
  by = as('ada'),
  projectId = 'p',
  modelId = 'm_1',
): AddProjectModel => ({
  type: 'add-project-model',
  actor: by,
  now: NOW,
  modelId,
  projectId,
  model: { ...input, ...over },
});
const remove = (projectId = 'p', by = as('ada')): RemoveProjectModel => ({
  type: 'remove-project-model',
  actor: by,
  now: NOW,
  projectId,
  modelId: 'm_1',
});

describe('project models', () => {
  it('admins add a model; members, keys and outsiders do not', () => {
    adminOnly((by, projectId) => add({}, by, projectId), added);
  });

  it('refuses what routing could not use, by name', () => {
    given(...team())
      .when(add({ name: 'has space' }))
      .thenFails(InvalidInputError, 'invalid_model_name');
    given(...team())
      .when(add({ provider: 'acme' }))
      .thenFails(InvalidInputError, 'invalid_provider');
    given(...team())
      .when(add({ provider: 'mock' }))
      .thenFails(InvalidInputError, 'invalid_provider');
    given(...team())
      .when(add({ wireModel: ' ' }))
      .thenFails(InvalidInputError, 'invalid_wire_model');
    given(...team())
      .when(add({ baseModel: 'gpt-9000' }))
      .thenFails(InvalidInputError, 'unknown_base_model');
    given(...team())
      .when(add({ contextWindow: 0 }))
      .thenFails(InvalidInputError, 'invalid_limit');
    given(...team())
      .when(add({ outputPerMTok: -1 }))
      .thenFails(InvalidInputError, 'invalid_price');
  });

  it('keeps names unique among live models, and frees a removed name', () => {
    given(...team(), added)
      .when(add({}, as('ada'), 'p', 'm_2'))
      .thenFails(ConflictError, 'model_name_taken');
    given(...team(), added, removed)
      .when(add({}, as('ada'), 'p', 'm_2'))
      .then({ ...added, entityKey: 'project-model:m_2', data: { ...state, modelId: 'm_2' } });
  });

  it('removes once; another project’s model looks unknown', () => {
    given(...team(), added)
      .when(remove())
      .then(removed);
    given(...team(), added, removed)
      .when(remove())
      .then();
    given(...team(), project('q'))
      .when(remove())
      .thenFails(NotFoundError, 'model_not_found');
    given(...team(), added)
      .when(remove('p', as('max')))
      .thenFails(ForbiddenError);
  });

  it('evolves to the newest state per model, and the same events again change nothing', () => {
    const events = [added, removed].map((e) => controlEvent(SYSTEM, NOW, e));
    const once = events.reduce(evolve, emptyControlState());
    const twice = events.reduce(evolve, once);
    expect(once.projectModels.get('m_1')?.removedAt).toBe(NOW.toISOString());
    expect(twice.projectModels.toJS()).toEqual(once.projectModels.toJS());
  });
});
