import type { ProviderCredentialState } from '@sightline/schemas';
import { ForbiddenError, InvalidInputError, NotFoundError, ProjectNotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import { as, asKey, given, member, NOW, project, team } from '../../../test/support/control-given';
import {
  last4Of,
  MAX_CREDENTIALS_PER_PROJECT,
  requireSecret,
  type AddProviderCredential,
  type RemoveProviderCredential,
  type RotateProviderCredential,
} from './provider-credentials';

const LATER = new Date(NOW.getTime() + 60_000);
const credential: ProviderCredentialState = {
  credentialId: 'pc_1',
  projectId: 'p',
  provider: 'openai',
  label: 'team key',
  secretEnc: 'v1:sealed-1',
  last4: 'wxyz',
  baseUrl: null,
  settings: {},
  weight: 1,
  createdAt: NOW.toISOString(),
  createdBy: 'ada',
  rotatedAt: null,
  removedAt: null,
};
const event = (
  type: 'provider-credential.added' | 'provider-credential.rotated' | 'provider-credential.removed',
  data: ProviderCredentialState,
): NewControlEvent => ({ type, entityKey: `provider-credential:${data.credentialId}`, projectId: 'p', data });
const added = event('provider-credential.added', credential);
const removed = event('provider-credential.removed', {
  ...credential,
  secretEnc: null,
  removedAt: NOW.toISOString(),
});

/** And project q, where nobody is a member. */
const world = [...team(), project('q')];

const add = (over: Partial<AddProviderCredential> = {}): AddProviderCredential => ({
  type: 'add-provider-credential',
  actor: as('ada'),
  now: NOW,
  credentialId: 'pc_1',
  projectId: 'p',
  provider: 'openai',
  label: ' team key ',
  secretEnc: 'v1:sealed-1',
  last4: 'wxyz',
  baseUrl: null,
  settings: {},
  weight: 1,
  ...over,
});
const rotate = (over: Partial<RotateProviderCredential> = {}): RotateProviderCredential => ({
  type: 'rotate-provider-credential',
  actor: as('ada'),
  now: LATER,
  projectId: 'p',
  credentialId: 'pc_1',
  secretEnc: 'v1:sealed-2',
  last4: '9876',
  ...over,
});
const remove = (over: Partial<RemoveProviderCredential> = {}): RemoveProviderCredential => ({
  type: 'remove-provider-credential',
  actor: as('ada'),
  now: NOW,
  projectId: 'p',
  credentialId: 'pc_1',
  ...over,
});

describe('provider credentials', () => {
  it('owners and admins add them; members, keys and outsiders do not', () => {
    given(...world)
      .when(add())
      .then(added);
    given(...world)
      .when(add({ actor: as('olga') }))
      .then(event('provider-credential.added', { ...credential, createdBy: 'olga' }));
    given(...world)
      .when(add({ actor: as('max') }))
      .thenFails(ForbiddenError);
    given(...world)
      .when(add({ actor: asKey }))
      .thenFails(ForbiddenError);
    given(...world)
      .when(add({ projectId: 'q' }))
      .thenFails(ProjectNotFoundError);
  });

  it('keeps a trimmed base URL, the settings given and the weight', () => {
    given(...world)
      .when(
        add({
          provider: 'bedrock',
          baseUrl: ' https://bedrock-runtime.eu-west-1.amazonaws.com/ ',
          settings: { region: ' eu-west-1 ', apiVersion: '' },
          weight: 3,
        }),
      )
      .then(
        event('provider-credential.added', {
          ...credential,
          provider: 'bedrock',
          baseUrl: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
          settings: { region: 'eu-west-1' },
          weight: 3,
        }),
      );
  });

  it.each([
    [{ provider: 'Open AI' }, 'invalid_provider'],
    [{ provider: 'mock' }, 'invalid_provider'],
    [{ provider: 'ollama', baseUrl: null }, 'missing_base_url'],
    [{ label: '  ' }, 'invalid_label'],
    [{ baseUrl: 'ftp://example.com' }, 'invalid_base_url'],
    [{ baseUrl: 'https://user:sk-secret@example.com/v1' }, 'invalid_base_url'],
    [{ baseUrl: 'not a url' }, 'invalid_base_url'],
    [{ provider: 'azure', baseUrl: null }, 'missing_base_url'],
    [{ provider: 'bedrock', settings: {} }, 'missing_region'],
    [{ settings: { region: 'eu west' } }, 'invalid_setting'],
    [{ weight: 0 }, 'invalid_weight'],
    [{ weight: 1.5 }, 'invalid_weight'],
  ] as [Partial<AddProviderCredential>, string][])('refuses %j: %s', (over, reason) => {
    given(...world)
      .when(add(over))
      .thenFails(InvalidInputError, reason);
  });

  it('caps the live credentials of a project', () => {
    const many = Array.from({ length: MAX_CREDENTIALS_PER_PROJECT }, (_, i) =>
      event('provider-credential.added', { ...credential, credentialId: `pc_many_${i}` }),
    );
    given(...world, ...many)
      .when(add())
      .thenFails(InvalidInputError, 'too_many_credentials');
    const oneRemoved = event('provider-credential.removed', {
      ...credential,
      credentialId: 'pc_many_0',
      secretEnc: null,
      removedAt: NOW.toISOString(),
    });
    given(...world, ...many, oneRemoved)
      .when(add())
      .then(added);
  });

  it('rotating replaces the sealed secret and keeps the rest', () => {
    given(...world, added)
      .when(rotate())
      .then(
        event('provider-credential.rotated', {
          ...credential,
          secretEnc: 'v1:sealed-2',
          last4: '9876',
          rotatedAt: LATER.toISOString(),
        }),
      );
  });

  it('rotating needs an admin, and a live credential of the project', () => {
    given(...world, added)
      .when(rotate({ actor: as('max') }))
      .thenFails(ForbiddenError);
    given(...world, added, removed)
      .when(rotate())
      .thenFails(NotFoundError, 'credential_not_found');
    given(...world)
      .when(rotate())
      .thenFails(NotFoundError, 'credential_not_found');
  });

  it("another project's credential looks unknown", () => {
    const elsewhere = [...world, member('q', 'ada', 'admin')];
    const theirs = event('provider-credential.added', {
      ...credential,
      credentialId: 'pc_q',
      projectId: 'q',
    });
    given(...elsewhere, theirs)
      .when(rotate({ credentialId: 'pc_q' }))
      .thenFails(NotFoundError, 'credential_not_found');
    given(...elsewhere, theirs)
      .when(remove({ credentialId: 'pc_q' }))
      .thenFails(NotFoundError, 'credential_not_found');
  });

  it('removing drops the sealed secret; removing again changes nothing', () => {
    given(...world, added)
      .when(remove())
      .then(removed);
    given(...world, added, removed)
      .when(remove())
      .then();
    given(...world, added)
      .when(remove({ actor: as('max') }))
      .thenFails(ForbiddenError);
    given(...world, added, removed)
      .when(remove({ actor: as('max') }))
      .thenFails(ForbiddenError);
  });

  it('the state keeps the newest version of each credential', () => {
    const state = given(...world, added, removed).state;
    expect(state.providerCredentials.get('pc_1')).toEqual(removed.data);
  });
});

describe('provider secrets before sealing', () => {
  it('are trimmed, with the access key id Bedrock needs', () => {
    expect(requireSecret('openai', { apiKey: ' sk-abc \n' })).toEqual({ apiKey: 'sk-abc' });
    expect(requireSecret('bedrock', { apiKey: 's3cr3t', accessKeyId: ' AKIA123 ' })).toEqual({
      apiKey: 's3cr3t',
      accessKeyId: 'AKIA123',
    });
  });

  it.each([
    ['blank', 'openai', { apiKey: '   ' }, 'invalid_secret'],
    ['with a space', 'openai', { apiKey: 'sk-a b' }, 'invalid_secret'],
    ['too long', 'openai', { apiKey: 'x'.repeat(4097) }, 'invalid_secret'],
    ['without access key id', 'bedrock', { apiKey: 's3cr3t' }, 'missing_access_key_id'],
  ])('a secret %s is refused without quoting it', (_what, provider, secret, reason) => {
    let error: unknown;
    try {
      requireSecret(provider, secret);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ reason });
    if (secret.apiKey.trim()) expect((error as Error).message).not.toContain(secret.apiKey.trim());
  });

  it('shows the last 4 characters of long secrets only', () => {
    expect(last4Of('sk-proj-1234567890abcd')).toBe('abcd');
    expect(last4Of('short-key')).toBe('');
  });
});
