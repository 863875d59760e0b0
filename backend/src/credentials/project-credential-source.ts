import type { ProviderCredentialState } from '@sightline/schemas';
import { ProviderError } from '../common/errors';
import type { ControlPlane } from '../control/control-plane';
import type { ControlState } from '../control/control-state';
import { defaultBaseUrl } from '../control/decide/provider-credentials';
import { CredentialSource } from '../providers/credentials';
import type { ProviderCredential } from '../providers/upstream';
import type { ProviderSecrets } from './provider-secrets';

/** A provider's default base URL when a credential does not set one (undefined: it must). */
export type DefaultBaseUrl = (
  provider: string,
  settings: Readonly<Record<string, string>>,
) => string | undefined;

interface Opened {
  /** The state it was opened from: a rotation makes a new one. */
  readonly from: ProviderCredentialState;
  readonly credential: ProviderCredential;
}

/**
 * The credentials a call uses: the project's own for the provider when it stored any (Settings →
 * Providers), else the instance's (`instance`, from its environment). A project's key wins.
 * Secrets are decrypted when first used and kept in memory, until the credential is rotated or removed.
 */
export class ProjectCredentialSource extends CredentialSource {
  /** `projectId/provider` → live credentials, rebuilt when the credentials map changes. */
  private index = new Map<string, ProviderCredentialState[]>();
  private indexedFrom: ControlState['providerCredentials'] | undefined;
  private readonly opened = new Map<string, Opened>();

  constructor(
    private readonly control: Pick<ControlPlane, 'current'>,
    private readonly secrets: Pick<ProviderSecrets, 'open'>,
    private readonly instance: CredentialSource,
  ) {
    super();
  }

  /** @throws ProviderError `credential_unreadable` when a project's secret cannot be decrypted (another master key). */
  forProject(projectId: string, provider: string): readonly ProviderCredential[] {
    const own = this.live().get(`${projectId}/${provider}`);
    return own?.length ? own.map((c) => this.open(c)) : this.instance.forProject(projectId, provider);
  }

  private live(): Map<string, ProviderCredentialState[]> {
    const all = this.control.current.providerCredentials;
    if (all === this.indexedFrom) return this.index;
    const index = new Map<string, ProviderCredentialState[]>();
    for (const c of all.values()) {
      if (c.removedAt || !c.secretEnc) continue;
      const key = `${c.projectId}/${c.provider}`;
      index.set(key, [...(index.get(key) ?? []), c]);
    }
    for (const id of this.opened.keys()) if (all.get(id)?.secretEnc == null) this.opened.delete(id);
    this.index = index;
    this.indexedFrom = all;
    return index;
  }

  /**
   * One stored credential, decrypted (cached like every other use).
   * @throws ProviderError `credential_unreadable`, `credential_incomplete`
   */
  open(state: ProviderCredentialState): ProviderCredential {
    const cached = this.opened.get(state.credentialId);
    if (cached?.from === state) return cached.credential;
    const credential = this.decrypt(state);
    this.opened.set(state.credentialId, { from: state, credential });
    return credential;
  }

  private decrypt(state: ProviderCredentialState): ProviderCredential {
    let secret;
    try {
      secret = this.secrets.open(state.credentialId, state.secretEnc!);
    } catch {
      throw new ProviderError(
        `The project's ${state.provider} credential "${state.label}" cannot be decrypted ` +
          '(was SIGHTLINE_SECRET_KEY changed?); rotate it in Settings → Providers.',
        null,
        'credential_unreadable',
      );
    }
    const baseUrl = state.baseUrl ?? defaultBaseUrl(state.provider, state.settings);
    if (!baseUrl) {
      throw new ProviderError(
        `The project's ${state.provider} credential "${state.label}" has no base URL; add it again with one.`,
        null,
        'credential_incomplete',
      );
    }
    const options = { ...state.settings, ...(secret.accessKeyId ? { accessKeyId: secret.accessKeyId } : {}) };
    return {
      id: state.credentialId,
      baseUrl,
      apiKey: secret.apiKey,
      weight: state.weight,
      ...(Object.keys(options).length ? { options } : {}),
    };
  }
}
