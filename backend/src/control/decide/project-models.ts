import type { ProjectModelState } from '@sightline/schemas';
import { CATALOG_MODELS } from '../../catalog/models.data';
import { providerInfo } from '../../catalog/providers';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** A project's own model as an admin describes it; limits and prices are optional. */
export interface ProjectModelInput {
  readonly name: string;
  readonly provider: string;
  readonly wireModel: string;
  readonly baseModel: string | null;
  readonly contextWindow: number | null;
  readonly maxOutputTokens: number | null;
  readonly inputPerMTok: number | null;
  readonly outputPerMTok: number | null;
}

export type AddProjectModel = Command<
  'add-project-model',
  { modelId: string; projectId: string; model: ProjectModelInput }
>;
export type RemoveProjectModel = Command<'remove-project-model', { projectId: string; modelId: string }>;

/** Most live models a project keeps. */
export const MAX_PROJECT_MODELS = 200;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;
const CATALOG_IDS = new Set(CATALOG_MODELS.flatMap((m) => [m.id, ...(m.aliases ?? [])]));

/**
 * Admins add a model under a name unique in the project (a catalog name may be shadowed on purpose:
 * the project's own wins). The provider must be one Sightline calls; the base model a catalog id.
 * @throws InvalidInputError (`invalid_model_name`, `invalid_provider`, `invalid_wire_model`,
 *   `unknown_base_model`, `invalid_limit`, `invalid_price`, `too_many_models`), ConflictError
 *   `model_name_taken`, ProjectNotFoundError, ForbiddenError below admin
 */
export function addProjectModel(command: AddProjectModel, state: ControlState): NewControlEvent[] {
  const { projectId, actor, model } = command;
  requireRole(state, actor, projectId, 'admin');
  const live = [...state.projectModels.values()].filter((m) => m.projectId === projectId && !m.removedAt);
  if (live.length >= MAX_PROJECT_MODELS)
    throw new InvalidInputError(`A project keeps at most ${MAX_PROJECT_MODELS} models`, 'too_many_models');
  const name = model.name.trim();
  if (!NAME.test(name))
    throw new InvalidInputError(
      'A model name is 1–200 letters, digits or ._:/@+-',
      'invalid_model_name',
      'name',
    );
  if (live.some((m) => m.name === name))
    throw new ConflictError(`The project already has a model named '${name}'`, 'model_name_taken');
  const data: ProjectModelState = {
    modelId: command.modelId,
    projectId,
    name,
    provider: requireProvider(model.provider),
    wireModel: requireWireModel(model.wireModel),
    baseModel: requireBaseModel(model.baseModel),
    contextWindow: limit(model.contextWindow, 'contextWindow'),
    maxOutputTokens: limit(model.maxOutputTokens, 'maxOutputTokens'),
    inputPerMTok: price(model.inputPerMTok, 'inputPerMTok'),
    outputPerMTok: price(model.outputPerMTok, 'outputPerMTok'),
    createdAt: command.now.toISOString(),
    createdBy: actor.userId,
    removedAt: null,
  };
  return [{ type: 'project-model.added', entityKey: `project-model:${data.modelId}`, projectId, data }];
}

/**
 * Removing a removed model changes nothing; another project's model looks unknown.
 * @throws NotFoundError `model_not_found`, ProjectNotFoundError, ForbiddenError below admin
 */
export function removeProjectModel(command: RemoveProjectModel, state: ControlState): NewControlEvent[] {
  const { projectId, modelId } = command;
  requireRole(state, command.actor, projectId, 'admin');
  const model = state.projectModels.get(modelId);
  if (!model || model.projectId !== projectId) throw new NotFoundError('Model not found', 'model_not_found');
  if (model.removedAt) return [];
  const data = { ...model, removedAt: command.now.toISOString() };
  return [{ type: 'project-model.removed', entityKey: `project-model:${modelId}`, projectId, data }];
}

function requireProvider(provider: string): string {
  const info = providerInfo(provider.trim());
  if (!info || info.id === 'mock')
    throw new InvalidInputError(`Unknown provider '${provider}'`, 'invalid_provider', 'provider');
  return info.id;
}

function requireWireModel(wireModel: string): string {
  const name = wireModel.trim();
  if (!name || name.length > 300 || /\s/.test(name))
    throw new InvalidInputError(
      'The provider model name is 1–300 characters without spaces',
      'invalid_wire_model',
      'wireModel',
    );
  return name;
}

function requireBaseModel(baseModel: string | null): string | null {
  if (baseModel === null || baseModel.trim() === '') return null;
  if (!CATALOG_IDS.has(baseModel.trim()))
    throw new InvalidInputError(`'${baseModel}' is not a catalog model`, 'unknown_base_model', 'baseModel');
  return baseModel.trim();
}

function limit(value: number | null, param: string): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > 100_000_000)
    throw new InvalidInputError(`${param} must be a positive number of tokens`, 'invalid_limit', param);
  return value;
}

function price(value: number | null, param: string): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value) || value < 0 || value > 100_000)
    throw new InvalidInputError(`${param} must be USD per 1M tokens, 0 or more`, 'invalid_price', param);
  return value;
}
