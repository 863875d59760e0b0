import {
  PROMPT_LABEL,
  PROMPT_NAME,
  type PromptLabelsState,
  type PromptVersionState,
} from '@sightline/schemas';
import { InvalidInputError, NotFoundError } from '../../common/errors';
import { responseFormatError, toolDefinitionsError } from '../../common/tool-definitions';
import type { NewControlEvent } from '../control-events';
import { promptKey, type ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** A prompt version as a member saves it: JSON fields as text (validated here). */
export interface PromptVersionInput {
  readonly name: string;
  readonly messages: string;
  readonly model: string | null;
  readonly params: string | null;
  readonly tools: string | null;
  readonly responseFormat: string | null;
  readonly commitMessage: string;
  /** Labels to point at the new version, e.g. `['staging']`. */
  readonly labels: readonly string[];
}

export type CreatePromptVersion = Command<
  'create-prompt-version',
  { projectId: string; prompt: PromptVersionInput }
>;
export type SetPromptLabel = Command<
  'set-prompt-label',
  { projectId: string; name: string; label: string; version: number | null }
>;

/** Versions one prompt keeps, and prompts one project keeps. */
export const MAX_PROMPT_VERSIONS = 1_000;
export const MAX_PROMPTS = 2_000;
const NAME = new RegExp(PROMPT_NAME);
const LABEL = new RegExp(PROMPT_LABEL);
const LIMITS = { messages: 262_144, params: 16_384, tools: 262_144, responseFormat: 65_536 } as const;

function json(field: keyof typeof LIMITS, text: string, shape: 'array' | 'object'): string {
  if (text.length > LIMITS[field])
    throw new InvalidInputError(`${field} is over ${LIMITS[field]} characters`, 'prompt_too_large', field);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`${field} is not JSON`, 'invalid_prompt', field);
  }
  const ok =
    shape === 'array'
      ? Array.isArray(value)
      : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) throw new InvalidInputError(`${field} must be a JSON ${shape}`, 'invalid_prompt', field);
  return JSON.stringify(value);
}

/**
 * `text` (normalised JSON) once its tools or response format would be accepted by a provider: a
 * version saved with an invalid schema would only fail later, at every call that uses it.
 */
function checked(field: 'tools' | 'responseFormat', text: string): string {
  const value = JSON.parse(text) as unknown;
  const error =
    field === 'tools'
      ? toolDefinitionsError(value as unknown[])
      : responseFormatError(value as Record<string, unknown>);
  if (error) throw new InvalidInputError(`${field}: ${error}`, 'invalid_prompt', field);
  return text;
}

export function requirePromptName(name: string): string {
  if (!NAME.test(name))
    throw new InvalidInputError(
      'A prompt name is 1–128 letters, digits, `_`, `.`, `-` or `/`, not starting with `.`, `-` or `/`',
      'invalid_prompt_name',
      'name',
    );
  return name;
}

function requireLabel(label: string): string {
  if (label === 'latest')
    throw new InvalidInputError(
      '`latest` always names the newest version; it cannot be set',
      'reserved_label',
      'label',
    );
  if (!LABEL.test(label))
    throw new InvalidInputError(
      'A label is 1–36 lowercase letters, digits, `_` or `-`',
      'invalid_label',
      'label',
    );
  return label;
}

function labelsEvent(
  command: Command<string, object>,
  projectId: string,
  name: string,
  labels: Record<string, number>,
): NewControlEvent {
  const data: PromptLabelsState = {
    projectId,
    name,
    labels,
    changedAt: command.now.toISOString(),
    changedBy: command.actor.userId,
  };
  return {
    type: 'prompt.labels-set',
    entityKey: `prompt-labels:${promptKey(projectId, name)}`,
    projectId,
    data,
  };
}

/**
 * Members save a prompt version: the next number of that name (1 for a new name), never changed
 * afterwards; `labels` move to it at once.
 * @throws InvalidInputError (`invalid_prompt_name`, `invalid_prompt`, `prompt_too_large`,
 *   `invalid_label`, `reserved_label`, `too_many_versions`, `too_many_prompts`),
 *   ProjectNotFoundError, ForbiddenError below member
 */
export function createPromptVersion(command: CreatePromptVersion, state: ControlState): NewControlEvent[] {
  const { projectId, prompt } = command;
  requireRole(state, command.actor, projectId, 'member');
  const name = requirePromptName(prompt.name);
  const key = promptKey(projectId, name);
  const versions = state.promptVersions.get(key);
  if (!versions && state.promptVersions.count((_, k) => k.startsWith(`${projectId}/`)) >= MAX_PROMPTS)
    throw new InvalidInputError(`A project keeps at most ${MAX_PROMPTS} prompts`, 'too_many_prompts');
  if ((versions?.size ?? 0) >= MAX_PROMPT_VERSIONS)
    throw new InvalidInputError(
      `A prompt keeps at most ${MAX_PROMPT_VERSIONS} versions`,
      'too_many_versions',
    );
  if (prompt.commitMessage.length > 500)
    throw new InvalidInputError(
      'A commit message is at most 500 characters',
      'invalid_prompt',
      'commitMessage',
    );
  const labels = prompt.labels.map(requireLabel);
  const data: PromptVersionState = {
    projectId,
    name,
    version: (versions?.last()?.version ?? 0) + 1,
    messages: json('messages', prompt.messages, 'array'),
    model: prompt.model?.trim() || null,
    params: prompt.params ? json('params', prompt.params, 'object') : '{}',
    tools: prompt.tools ? checked('tools', json('tools', prompt.tools, 'array')) : null,
    responseFormat: prompt.responseFormat
      ? checked('responseFormat', json('responseFormat', prompt.responseFormat, 'object'))
      : null,
    commitMessage: prompt.commitMessage.trim(),
    createdAt: command.now.toISOString(),
    createdBy: command.actor.userId,
  };
  const events: NewControlEvent[] = [
    { type: 'prompt.version-created', entityKey: `prompt-version:${key}#${data.version}`, projectId, data },
  ];
  if (labels.length) {
    const current = state.promptLabels.get(key)?.labels ?? {};
    const moved = Object.fromEntries(labels.map((label) => [label, data.version]));
    events.push(labelsEvent(command, projectId, name, { ...current, ...moved }));
  }
  return events;
}

/**
 * Members point a label at a version of a prompt, or take it off (`version` null). Setting a label
 * where it already is changes nothing.
 * @throws NotFoundError (`prompt_not_found`, `prompt_version_not_found`), InvalidInputError
 *   (`invalid_label`, `reserved_label`), ProjectNotFoundError, ForbiddenError below member
 */
export function setPromptLabel(command: SetPromptLabel, state: ControlState): NewControlEvent[] {
  const { projectId, name, version } = command;
  requireRole(state, command.actor, projectId, 'member');
  const label = requireLabel(command.label);
  const key = promptKey(projectId, name);
  const versions = state.promptVersions.get(key);
  if (!versions) throw new NotFoundError('Prompt not found', 'prompt_not_found');
  if (version !== null && !versions.some((v) => v.version === version))
    throw new NotFoundError(`Prompt '${name}' has no version ${version}`, 'prompt_version_not_found');
  const current = state.promptLabels.get(key)?.labels ?? {};
  if ((current[label] ?? null) === version) return [];
  const { [label]: _old, ...others } = current;
  return [labelsEvent(command, projectId, name, version === null ? others : { ...others, [label]: version })];
}
