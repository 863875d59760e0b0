import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { InvalidInputError, NotFoundError, ProviderError } from '../common/errors';
import { ControlPlane } from '../control/control-plane';
import { ProviderAdapters } from '../providers/adapters';
import type { ProviderCredential } from '../providers/upstream';
import { wireFormat } from '../providers/wire/formats';
import { ProjectCredentialSource } from './project-credential-source';

/** How long a connection test may take (ms). */
const TEST_TIMEOUT_MS = 20_000;

/** What a connection test found: the provider's answer to a one-token request. */
export interface CredentialTestResult {
  readonly ok: boolean;
  /** The provider's HTTP status; null when it could not be reached. */
  readonly status: number | null;
  /** `ok`, or the provider's error with the credential's secrets masked. */
  readonly message: string;
  readonly latencyMs: number;
}

/** Sends `model` a one-token request with a stored credential (the caller was checked to be an admin). */
export class TestProviderCredentialCommand extends Command<CredentialTestResult> {
  constructor(
    readonly projectId: string,
    readonly credentialId: string,
    readonly model: string,
  ) {
    super();
  }
}

@CommandHandler(TestProviderCredentialCommand)
export class TestProviderCredentialHandler implements ICommandHandler<
  TestProviderCredentialCommand,
  CredentialTestResult
> {
  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(ProjectCredentialSource) private readonly credentials: ProjectCredentialSource,
    @Inject(ProviderAdapters) private readonly adapters: ProviderAdapters,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** @throws NotFoundError `credential_not_found`; InvalidInputError `invalid_model`, `provider_unsupported` */
  async execute({
    projectId,
    credentialId,
    model,
  }: TestProviderCredentialCommand): Promise<CredentialTestResult> {
    const stored = this.control.current.providerCredentials.get(credentialId);
    if (!stored || stored.projectId !== projectId || stored.removedAt) {
      throw new NotFoundError('Provider credential not found', 'credential_not_found');
    }
    const name = model.trim();
    if (!name || name.length > 200) {
      throw new InvalidInputError(
        'Name the model to test with, e.g. `gpt-4o-mini`.',
        'invalid_model',
        'model',
      );
    }
    const adapter = this.adapters.get(stored.provider);
    if (!adapter) {
      throw new InvalidInputError(
        `This build cannot call ${stored.provider} yet.`,
        'provider_unsupported',
        'provider',
      );
    }
    const credential = this.credentials.open(stored);
    const body = wireFormat(adapter.format).fromChatRequest({
      model: name,
      messages: [{ role: 'user', content: 'ping' }],
      max_tokens: 1,
    });
    const started = this.clock.monotonicMs();
    const took = () => Math.round(this.clock.monotonicMs() - started);
    try {
      const response = await adapter.call({
        model: name,
        body,
        stream: false,
        headers: {},
        credential,
        signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
      });
      return { ok: true, status: response.status, message: 'ok', latencyMs: took() };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      return {
        ok: false,
        status: error.providerStatus,
        message: masked(error.message, credential),
        latencyMs: took(),
      };
    }
  }
}

/** The message without the credential's secret parts, should a provider echo them. */
function masked(message: string, credential: ProviderCredential): string {
  const secrets = [credential.apiKey, credential.options?.accessKeyId].filter((s): s is string => !!s);
  return secrets.reduce((text, secret) => text.split(secret).join('••••'), message);
}
