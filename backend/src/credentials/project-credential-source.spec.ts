import type { ProviderCredentialState } from '@sightline/schemas';
import { randomBytes } from 'node:crypto';
import { ProviderError } from '../common/errors';
import { controlEvent, SYSTEM, type NewControlEvent } from '../control/control-events';
import { emptyControlState, evolve, type ControlState } from '../control/control-state';
import { CredentialSource } from '../providers/credentials';
import type { ProviderCredential } from '../providers/upstream';
import { SecretBox } from '../security/secret-box';
import { NOW } from '../../test/support/control-given';
import { ProjectCredentialSource } from './project-credential-source';
import { ProviderSecrets } from './provider-secrets';

/** The instance's credentials: one env key per provider it configures. */
class Instance extends CredentialSource {
  constructor(private readonly byProvider: Record<string, ProviderCredential[]>) {
    super();
  }
  forProject(_projectId: string, provider: string) {
    return this.byProvider[provider] ?? [];
  }
}

const ENV_OPENAI: ProviderCredential = {
  id: 'env:openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-env',
};

function setUp() {
  const secrets = new ProviderSecrets(new SecretBox(randomBytes(32)));
  const opened: string[] = [];
  const counting = {
    open: (id: string, sealed: string) => {
      opened.push(id);
      return secrets.open(id, sealed);
    },
  };
  const control = { current: emptyControlState() as ControlState };
  const happen = (...events: NewControlEvent[]) => {
    control.current = events.map((e) => controlEvent(SYSTEM, NOW, e)).reduce(evolve, control.current);
  };
  const source = new ProjectCredentialSource(control, counting, new Instance({ openai: [ENV_OPENAI] }));
  const credential = (
    id: string,
    projectId: string,
    provider: string,
    apiKey: string,
    over: Partial<ProviderCredentialState> = {},
    accessKeyId?: string,
  ): ProviderCredentialState => ({
    credentialId: id,
    projectId,
    provider,
    label: id,
    secretEnc: secrets.seal(id, accessKeyId ? { apiKey, accessKeyId } : { apiKey }),
    last4: apiKey.slice(-4),
    baseUrl: null,
    settings: {},
    weight: 1,
    createdAt: NOW.toISOString(),
    createdBy: null,
    rotatedAt: null,
    removedAt: null,
    ...over,
  });
  return { source, happen, credential, opened, secrets };
}

const as = (
  type: 'provider-credential.added' | 'provider-credential.rotated' | 'provider-credential.removed',
  data: ProviderCredentialState,
): NewControlEvent => ({
  type,
  entityKey: `provider-credential:${data.credentialId}`,
  projectId: data.projectId,
  data,
});

describe('ProjectCredentialSource', () => {
  it("a project's own key wins over the instance's; other projects keep the instance's", () => {
    const { source, happen, credential } = setUp();
    happen(
      as('provider-credential.added', credential('pc_a', 'alpha', 'openai', 'sk-alpha-0001', { weight: 3 })),
    );
    expect(source.forProject('alpha', 'openai')).toEqual([
      { id: 'pc_a', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-alpha-0001', weight: 3 },
    ]);
    expect(source.forProject('bravo', 'openai')).toEqual([ENV_OPENAI]);
    expect(source.forProject('alpha', 'anthropic')).toEqual([]);
  });

  it('gives every live credential of the provider, with its base URL and settings', () => {
    const { source, happen, credential } = setUp();
    happen(
      as(
        'provider-credential.added',
        credential('pc_1', 'p', 'openai', 'sk-one', { baseUrl: 'http://127.0.0.1:9/v1' }),
      ),
      as('provider-credential.added', credential('pc_2', 'p', 'openai', 'sk-two', { weight: 2 })),
      as(
        'provider-credential.added',
        credential(
          'pc_3',
          'p',
          'bedrock',
          'aws-secret',
          { settings: { region: 'eu-west-3' } },
          'AKIAEXAMPLE',
        ),
      ),
    );
    expect(source.forProject('p', 'openai')).toEqual([
      { id: 'pc_1', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-one', weight: 1 },
      { id: 'pc_2', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-two', weight: 2 },
    ]);
    expect(source.forProject('p', 'bedrock')).toEqual([
      {
        id: 'pc_3',
        baseUrl: 'https://bedrock-runtime.eu-west-3.amazonaws.com',
        apiKey: 'aws-secret',
        weight: 1,
        options: { region: 'eu-west-3', accessKeyId: 'AKIAEXAMPLE' },
      },
    ]);
  });

  it('decrypts once, again after a rotation, and falls back to the instance once removed', () => {
    const { source, happen, credential, opened, secrets } = setUp();
    const first = credential('pc_a', 'p', 'openai', 'sk-first');
    happen(as('provider-credential.added', first));
    source.forProject('p', 'openai');
    source.forProject('p', 'openai');
    expect(opened).toEqual(['pc_a']);

    const rotated = {
      ...first,
      secretEnc: secrets.seal('pc_a', { apiKey: 'sk-second' }),
      rotatedAt: NOW.toISOString(),
    };
    happen(as('provider-credential.rotated', rotated));
    expect(source.forProject('p', 'openai').map((c) => c.apiKey)).toEqual(['sk-second']);
    expect(opened).toEqual(['pc_a', 'pc_a']);

    happen(as('provider-credential.removed', { ...rotated, secretEnc: null, removedAt: NOW.toISOString() }));
    expect(source.forProject('p', 'openai')).toEqual([ENV_OPENAI]);
  });

  it('refuses a secret sealed under another master key, naming the credential but not the secret', () => {
    const { source, happen, credential } = setUp();
    const elsewhere = new ProviderSecrets(new SecretBox(randomBytes(32)));
    happen(
      as('provider-credential.added', {
        ...credential('pc_a', 'p', 'openai', 'sk-x'),
        label: 'team key',
        secretEnc: elsewhere.seal('pc_a', { apiKey: 'sk-moved-here' }),
      }),
    );
    expect(() => source.forProject('p', 'openai')).toThrow(ProviderError);
    expect(() => source.forProject('p', 'openai')).toThrow(
      /openai credential "team key" cannot be decrypted/,
    );
  });

  it('refuses a sealed secret copied onto another credential (bound to its id)', () => {
    const { source, happen, credential } = setUp();
    const a = credential('pc_a', 'alpha', 'openai', 'sk-alpha');
    happen(
      as('provider-credential.added', {
        ...credential('pc_b', 'bravo', 'openai', 'sk-b'),
        secretEnc: a.secretEnc,
      }),
    );
    expect(() => source.forProject('bravo', 'openai')).toThrow(ProviderError);
  });

  it('refuses a credential without a base URL for a provider that has no default', () => {
    const { source, happen, credential } = setUp();
    happen(as('provider-credential.added', credential('pc_o', 'p', 'ollama', 'ollama-key')));
    expect(() => source.forProject('p', 'ollama')).toThrow(/has no base URL/);
  });
});
