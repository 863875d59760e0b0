import type { PromptVersionState } from '@sightline/schemas';
import { ForbiddenError, InvalidInputError, NotFoundError, ProjectNotFoundError } from '../../common/errors';
import { as, asKey, given, member, NOW, project, team, user } from '../../../test/support/control-given';
import { controlEvent, SYSTEM, type NewControlEvent } from '../control-events';
import { emptyControlState, evolve, promptKey } from '../control-state';
import type { CreatePromptVersion, PromptVersionInput, SetPromptLabel } from './prompts';

const input: PromptVersionInput = {
  name: 'support/triage',
  messages: '[{"role":"system","content":"Triage {{ticket}}"}]',
  model: 'gpt-4o-mini',
  params: '{"temperature":0.2}',
  tools: null,
  responseFormat: null,
  commitMessage: ' first draft ',
  labels: [],
};

const version = (n: number, over: Partial<PromptVersionState> = {}): NewControlEvent => ({
  type: 'prompt.version-created',
  entityKey: `prompt-version:p/support/triage#${n}`,
  projectId: 'p',
  data: {
    projectId: 'p',
    name: 'support/triage',
    version: n,
    messages: '[{"role":"system","content":"Triage {{ticket}}"}]',
    model: 'gpt-4o-mini',
    params: '{"temperature":0.2}',
    tools: null,
    responseFormat: null,
    commitMessage: 'first draft',
    createdAt: NOW.toISOString(),
    createdBy: 'max',
    ...over,
  },
});
const labels = (map: Record<string, number>, by: string | null = 'max'): NewControlEvent => ({
  type: 'prompt.labels-set',
  entityKey: 'prompt-labels:p/support/triage',
  projectId: 'p',
  data: { projectId: 'p', name: 'support/triage', labels: map, changedAt: NOW.toISOString(), changedBy: by },
});

const create = (
  over: Partial<PromptVersionInput> = {},
  by = as('max'),
  projectId = 'p',
): CreatePromptVersion => ({
  type: 'create-prompt-version',
  actor: by,
  now: NOW,
  projectId,
  prompt: { ...input, ...over },
});
const label = (name: string, v: number | null, by = as('max')): SetPromptLabel => ({
  type: 'set-prompt-label',
  actor: by,
  now: NOW,
  projectId: 'p',
  name: 'support/triage',
  label: name,
  version: v,
});

describe('prompts', () => {
  it('a member saves version 1 of a new name, then 2; JSON is normalised, the message trimmed', () => {
    given(...team())
      .when(create({ params: '{ "temperature": 0.2 }' }))
      .then(version(1));
    given(...team(), version(1))
      .when(create({ commitMessage: 'shorter' }))
      .then(version(2, { commitMessage: 'shorter' }));
  });

  it('an API key saves versions too (apps push prompts); viewers and outsiders cannot', () => {
    given(...team())
      .when(create({}, asKey))
      .then(version(1, { createdBy: null }));
    given(...team('vic'), member('p', 'vic', 'viewer'))
      .when(create({}, as('vic')))
      .thenFails(ForbiddenError);
    given(...team(), project('q'), user('quinn'), member('q', 'quinn', 'owner'))
      .when(create({}, as('quinn')))
      .thenFails(ProjectNotFoundError);
  });

  it('labels given on save move to the new version, keeping the others', () => {
    given(...team(), version(1), labels({ production: 1, staging: 1 }))
      .when(create({ labels: ['staging'] }))
      .then(version(2), labels({ production: 1, staging: 2 }));
  });

  it('refuses bad names, bad JSON, wrong shapes, bad and reserved labels', () => {
    given(...team())
      .when(create({ name: '/abs' }))
      .thenFails(InvalidInputError, 'invalid_prompt_name');
    given(...team())
      .when(create({ name: 'has space' }))
      .thenFails(InvalidInputError, 'invalid_prompt_name');
    given(...team())
      .when(create({ messages: '[oops' }))
      .thenFails(InvalidInputError, 'invalid_prompt');
    given(...team())
      .when(create({ messages: '{}' }))
      .thenFails(InvalidInputError, 'invalid_prompt');
    given(...team())
      .when(create({ params: '[]' }))
      .thenFails(InvalidInputError, 'invalid_prompt');
    given(...team())
      .when(create({ tools: '{}' }))
      .thenFails(InvalidInputError, 'invalid_prompt');
    given(...team())
      .when(create({ tools: '[{"type":"function"}]' }))
      .thenFails(InvalidInputError, 'invalid_prompt');
    given(...team())
      .when(
        create({ tools: '[{"type":"function","function":{"name":"a","parameters":{"type":"nonsense"}}}]' }),
      )
      .thenFails(InvalidInputError, 'invalid_prompt');
    given(...team())
      .when(
        create({
          responseFormat: '{"type":"json_schema","json_schema":{"name":"out","schema":{"type":"objekt"}}}',
        }),
      )
      .thenFails(InvalidInputError, 'invalid_prompt');
    given(...team())
      .when(create({ labels: ['Prod'] }))
      .thenFails(InvalidInputError, 'invalid_label');
    given(...team())
      .when(create({ labels: ['latest'] }))
      .thenFails(InvalidInputError, 'reserved_label');
    given(...team())
      .when(create({ messages: JSON.stringify([{ role: 'user', content: 'x'.repeat(300_000) }]) }))
      .thenFails(InvalidInputError, 'prompt_too_large');
  });

  it('moves a label, takes it off, and changes nothing when it is already there', () => {
    given(...team(), version(1), version(2), labels({ production: 1 }))
      .when(label('production', 2))
      .then(labels({ production: 2 }));
    given(...team(), version(1), labels({ production: 1, staging: 1 }))
      .when(label('staging', null))
      .then(labels({ production: 1 }));
    given(...team(), version(1), labels({ production: 1 }))
      .when(label('production', 1))
      .then();
  });

  it('refuses a label on an unknown prompt or version', () => {
    given(...team())
      .when(label('production', 1))
      .thenFails(NotFoundError, 'prompt_not_found');
    given(...team(), version(1))
      .when(label('production', 5))
      .thenFails(NotFoundError, 'prompt_version_not_found');
  });

  it('evolving the same version event again changes nothing', () => {
    const once = [version(1), version(2)]
      .map((e) => controlEvent(SYSTEM, NOW, e))
      .reduce(evolve, emptyControlState());
    const twice = [version(1), version(2), version(2)]
      .map((e) => controlEvent(SYSTEM, NOW, e))
      .reduce(evolve, emptyControlState());
    expect(
      twice.promptVersions
        .get(promptKey('p', 'support/triage'))
        ?.map((v) => v.version)
        .toArray(),
    ).toEqual([1, 2]);
    expect(twice.promptVersions.toJS()).toEqual(once.promptVersions.toJS());
  });
});
