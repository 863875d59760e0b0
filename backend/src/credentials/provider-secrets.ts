import { Inject, Injectable } from '@nestjs/common';
import type { ProviderSecret } from '../control/decide/provider-credentials';
import { SecretBox } from '../security/secret-box';

/**
 * Provider secrets at rest: sealed with the instance's secret box (AES-256-GCM under the master
 * key) and bound to their credential id, so a sealed secret copied onto another credential fails to open.
 */
@Injectable()
export class ProviderSecrets {
  constructor(@Inject(SecretBox) private readonly box: SecretBox) {}

  seal(credentialId: string, secret: ProviderSecret): string {
    return this.box.encrypt(JSON.stringify(secret), boundTo(credentialId));
  }

  /** @throws SecretDecryptError (another master key, a tampered or moved token) */
  open(credentialId: string, sealed: string): ProviderSecret {
    return JSON.parse(this.box.decrypt(sealed, boundTo(credentialId))) as ProviderSecret;
  }
}

const boundTo = (credentialId: string): string => `provider-credential:${credentialId}`;
