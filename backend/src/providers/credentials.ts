import type { ProviderCredential } from './upstream';

/**
 * Where provider credentials come from: the instance's environment, overridden per project by the
 * credentials a project stored (a project's key wins over the instance's). Implementations never log
 * or record `apiKey`.
 */
export abstract class CredentialSource {
  /** The credentials usable for `provider` in `projectId`, in no particular order; empty when none. */
  abstract forProject(projectId: string, provider: string): readonly ProviderCredential[];
}
