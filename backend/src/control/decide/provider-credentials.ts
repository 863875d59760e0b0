import type { ProviderCredentialState } from '@sightline/schemas';
import { providerInfo } from '../../catalog/providers';
import { InvalidInputError, NotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** The parts of a credential that are sealed before they reach a decision. */
export interface ProviderSecret {
  readonly apiKey: string;
  /** Bedrock: the AWS access key id that goes with the secret access key. */
  readonly accessKeyId?: string;
}

/** Non-secret settings a provider needs: Bedrock `region`, Azure `apiVersion`. */
export interface ProviderSettings {
  readonly region?: string;
  readonly apiVersion?: string;
}

/**
 * The secret is sealed by the command handler: decisions see only the sealed token and its last 4
 * characters, so the plain secret never enters an event, a log line or an error.
 */
export type AddProviderCredential = Command<
  'add-provider-credential',
  {
    credentialId: string;
    projectId: string;
    provider: string;
    label: string;
    secretEnc: string;
    last4: string;
    baseUrl: string | null;
    settings: ProviderSettings;
    weight: number;
  }
>;
export type RotateProviderCredential = Command<
  'rotate-provider-credential',
  { projectId: string; credentialId: string; secretEnc: string; last4: string }
>;
export type RemoveProviderCredential = Command<
  'remove-provider-credential',
  { projectId: string; credentialId: string }
>;

/** Most credentials a project keeps at once (removed ones do not count). */
export const MAX_CREDENTIALS_PER_PROJECT = 100;
const MAX_SECRET_CHARS = 4096;
const SETTING = /^[A-Za-z0-9._-]{1,200}$/;

/**
 * The secret as typed, trimmed, with what its provider needs; messages never quote it.
 * @throws InvalidInputError `invalid_secret` (empty, too long, inner whitespace), `missing_access_key_id` (Bedrock)
 */
export function requireSecret(provider: string, secret: ProviderSecret): ProviderSecret {
  const apiKey = secret.apiKey.trim();
  if (!apiKey || apiKey.length > MAX_SECRET_CHARS || /\s/.test(apiKey)) {
    throw new InvalidInputError(
      `The secret must be 1 to ${MAX_SECRET_CHARS} characters without spaces or line breaks.`,
      'invalid_secret',
      'apiKey',
    );
  }
  const accessKeyId = secret.accessKeyId?.trim() || undefined;
  if (provider === 'bedrock' && !accessKeyId) {
    throw new InvalidInputError(
      'Bedrock needs the AWS access key id with the secret access key.',
      'missing_access_key_id',
      'accessKeyId',
    );
  }
  return accessKeyId ? { apiKey, accessKeyId } : { apiKey };
}

/**
 * Where a credential without a base URL sends calls: the provider's public API (Bedrock: its
 * region's runtime endpoint); undefined for Azure and self-hosted servers, which need one.
 */
export function defaultBaseUrl(
  provider: string,
  settings: Readonly<Record<string, string>>,
): string | undefined {
  if (provider === 'bedrock')
    return settings.region && `https://bedrock-runtime.${settings.region}.amazonaws.com`;
  return providerInfo(provider)?.env?.defaultBaseUrl;
}

/** The last 4 characters of a secret, for lists (nothing of a secret shorter than 12 characters). */
export const last4Of = (secret: string): string => (secret.length >= 12 ? secret.slice(-4) : '');

/** Owners and admins add credentials; members, viewers and API keys do not. */
export function addProviderCredential(
  command: AddProviderCredential,
  state: ControlState,
): NewControlEvent[] {
  const { projectId, actor } = command;
  requireRole(state, actor, projectId, 'admin');
  const live = state.providerCredentials.count((c) => c.projectId === projectId && !c.removedAt);
  if (live >= MAX_CREDENTIALS_PER_PROJECT) {
    throw new InvalidInputError(
      `A project keeps at most ${MAX_CREDENTIALS_PER_PROJECT} provider credentials; remove one first.`,
      'too_many_credentials',
    );
  }
  const provider = requireProvider(command.provider);
  const settings = requireSettings(provider, command.settings);
  const data: ProviderCredentialState = {
    credentialId: command.credentialId,
    projectId,
    provider,
    label: requireLabel(command.label),
    secretEnc: command.secretEnc,
    last4: command.last4,
    baseUrl: requireBaseUrl(provider, settings, command.baseUrl),
    settings,
    weight: requireWeight(command.weight),
    createdAt: command.now.toISOString(),
    createdBy: actor.userId,
    rotatedAt: null,
    removedAt: null,
  };
  return [changed('provider-credential.added', data)];
}

/**
 * A new secret for the same credential (same id, label and settings).
 * @throws ProjectNotFoundError; ForbiddenError below admin; NotFoundError `credential_not_found`
 * (removed, unknown, or another project's)
 */
export function rotateProviderCredential(
  command: RotateProviderCredential,
  state: ControlState,
): NewControlEvent[] {
  const credential = liveCredential(state, command);
  const data = {
    ...credential,
    secretEnc: command.secretEnc,
    last4: command.last4,
    rotatedAt: command.now.toISOString(),
  };
  return [changed('provider-credential.rotated', data)];
}

/** Removing drops the sealed secret; removing again changes nothing. */
export function removeProviderCredential(
  command: RemoveProviderCredential,
  state: ControlState,
): NewControlEvent[] {
  requireRole(state, command.actor, command.projectId, 'admin');
  const credential = state.providerCredentials.get(command.credentialId);
  if (credential?.projectId === command.projectId && credential.removedAt) return [];
  const data = { ...liveCredential(state, command), secretEnc: null, removedAt: command.now.toISOString() };
  return [changed('provider-credential.removed', data)];
}

function liveCredential(
  state: ControlState,
  command: RotateProviderCredential | RemoveProviderCredential,
): ProviderCredentialState {
  requireRole(state, command.actor, command.projectId, 'admin');
  const credential = state.providerCredentials.get(command.credentialId);
  if (!credential || credential.projectId !== command.projectId || credential.removedAt) {
    throw new NotFoundError('Provider credential not found', 'credential_not_found');
  }
  return credential;
}

function changed(
  type: 'provider-credential.added' | 'provider-credential.rotated' | 'provider-credential.removed',
  data: ProviderCredentialState,
): NewControlEvent {
  return { type, entityKey: `provider-credential:${data.credentialId}`, projectId: data.projectId, data };
}

/** A provider Sightline has an adapter for (the built-in mock needs no credential). */
function requireProvider(provider: string): string {
  if (!providerInfo(provider)?.env) {
    throw new InvalidInputError(
      `Unknown provider '${provider.slice(0, 64)}'; use a provider id such as \`openai\`, \`anthropic\` or \`bedrock\`.`,
      'invalid_provider',
      'provider',
    );
  }
  return provider;
}

function requireLabel(label: string): string {
  const trimmed = label.trim();
  if (!trimmed || trimmed.length > 200) {
    throw new InvalidInputError(
      'A credential needs a label of 1 to 200 characters.',
      'invalid_label',
      'label',
    );
  }
  return trimmed;
}

/** An http(s) URL without user info (a secret must not hide in the URL, which is shown in lists). */
function requireBaseUrl(
  provider: string,
  settings: Record<string, string>,
  baseUrl: string | null,
): string | null {
  const text = baseUrl?.trim() || null;
  if (!text) {
    if (defaultBaseUrl(provider, settings)) return null;
    throw new InvalidInputError(
      `${providerInfo(provider)!.name} has no default base URL: give its endpoint ` +
        '(Azure: `https://<resource>.openai.azure.com`; a self-hosted server: its `/v1` URL).',
      'missing_base_url',
      'baseUrl',
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password ||
    text.length > 2000
  ) {
    throw new InvalidInputError(
      'The base URL must be an http(s) URL without a user name or password.',
      'invalid_base_url',
      'baseUrl',
    );
  }
  return text.replace(/\/+$/, '');
}

function requireSettings(provider: string, settings: ProviderSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings) as [keyof ProviderSettings, string | undefined][]) {
    const text = value?.trim();
    if (!text) continue;
    if (!SETTING.test(text)) {
      throw new InvalidInputError(`\`${name}\` has characters it cannot have.`, 'invalid_setting', name);
    }
    out[name] = text;
  }
  if (provider === 'bedrock' && !out.region) {
    throw new InvalidInputError(
      'Bedrock needs the AWS region, e.g. `us-east-1`.',
      'missing_region',
      'region',
    );
  }
  return out;
}

function requireWeight(weight: number): number {
  if (!Number.isInteger(weight) || weight < 1 || weight > 1000) {
    throw new InvalidInputError('The weight is a whole number from 1 to 1000.', 'invalid_weight', 'weight');
  }
  return weight;
}
