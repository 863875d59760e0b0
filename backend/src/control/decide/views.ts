import { VIEW_COLUMNS_MAX, type SavedViewState } from '@sightline/schemas';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** A saved view of the traces list as a member describes it (see `SavedViewState`). */
export interface ViewInput {
  readonly name: string;
  /** The list's URL query: `range=24h&model=gpt-4o`. */
  readonly query: string;
  readonly columns: readonly string[];
  readonly sortField: string;
  readonly sortDirection: 'ASC' | 'DESC';
}

export type CreateView = Command<'create-view', { viewId: string; projectId: string; view: ViewInput }>;
export type UpdateView = Command<'update-view', { viewId: string; projectId: string; view: ViewInput }>;
export type RenameView = Command<'rename-view', { viewId: string; projectId: string; name: string }>;
export type DeleteView = Command<'delete-view', { viewId: string; projectId: string }>;

/** Most live views a project keeps. */
export const MAX_VIEWS = 100;
const MAX_QUERY = 2000;
const COLUMN_ID = /^[a-z][a-zA-Z0-9]{0,39}$/;

/**
 * Members save a view under a name no other live view of the project has (case-insensitive).
 * @throws InvalidInputError (`invalid_view_name`, `invalid_view_query`, `invalid_columns`,
 *   `too_many_views`), ConflictError `view_name_taken`, ProjectNotFoundError, ForbiddenError below member
 */
export function createView(command: CreateView, state: ControlState): NewControlEvent[] {
  const { projectId, viewId, actor } = command;
  requireRole(state, actor, projectId, 'member');
  if (liveViews(state, projectId).length >= MAX_VIEWS)
    throw new InvalidInputError(`A project keeps at most ${MAX_VIEWS} views`, 'too_many_views');
  const view = checkView(command.view);
  nameFree(state, projectId, view.name, viewId);
  return [saved(command, { viewId, projectId, ...view, deletedAt: null })];
}

/**
 * Replaces a live view's name, filters, columns and sort.
 * @throws NotFoundError `view_not_found`, and what {@link createView} throws
 */
export function updateView(command: UpdateView, state: ControlState): NewControlEvent[] {
  const { projectId, viewId } = command;
  requireRole(state, command.actor, projectId, 'member');
  const old = liveView(state, projectId, viewId);
  const view = checkView(command.view);
  nameFree(state, projectId, view.name, viewId);
  return [saved(command, { ...old, ...view })];
}

/** @throws NotFoundError `view_not_found`, InvalidInputError `invalid_view_name`, ConflictError `view_name_taken` */
export function renameView(command: RenameView, state: ControlState): NewControlEvent[] {
  const { projectId, viewId } = command;
  requireRole(state, command.actor, projectId, 'member');
  const old = liveView(state, projectId, viewId);
  const name = checkName(command.name);
  nameFree(state, projectId, name, viewId);
  return [saved(command, { ...old, name })];
}

/** @throws NotFoundError `view_not_found`, ProjectNotFoundError, ForbiddenError below member */
export function deleteView(command: DeleteView, state: ControlState): NewControlEvent[] {
  const { projectId, viewId, actor, now } = command;
  requireRole(state, actor, projectId, 'member');
  const data: SavedViewState = { ...liveView(state, projectId, viewId), deletedAt: now.toISOString() };
  return [{ type: 'view.deleted', entityKey: `view:${viewId}`, projectId, data }];
}

/** The project's live views, by name. */
export function liveViews(state: ControlState, projectId: string): SavedViewState[] {
  return [...state.views.values()]
    .filter((v) => v.projectId === projectId && !v.deletedAt)
    .sort((a, b) => a.name.localeCompare(b.name));
}

function saved(
  command: Command<string, object>,
  view: Omit<SavedViewState, 'updatedAt' | 'updatedBy'>,
): NewControlEvent {
  const data: SavedViewState = {
    ...view,
    updatedAt: command.now.toISOString(),
    updatedBy: command.actor.userId,
  };
  return { type: 'view.saved', entityKey: `view:${view.viewId}`, projectId: view.projectId, data };
}

function liveView(state: ControlState, projectId: string, viewId: string): SavedViewState {
  const view = state.views.get(viewId);
  if (!view || view.projectId !== projectId || view.deletedAt)
    throw new NotFoundError('No such view in this project', 'view_not_found');
  return view;
}

function nameFree(state: ControlState, projectId: string, name: string, viewId: string): void {
  const lower = name.toLowerCase();
  if (liveViews(state, projectId).some((v) => v.viewId !== viewId && v.name.toLowerCase() === lower))
    throw new ConflictError(`A view named '${name}' exists`, 'view_name_taken');
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw new InvalidInputError('A view name has 1 to 100 characters', 'invalid_view_name', 'name');
  return trimmed;
}

function checkView(view: ViewInput): ViewInput & { columns: string[] } {
  if (view.query.length > MAX_QUERY)
    throw new InvalidInputError(
      `The query has at most ${MAX_QUERY} characters`,
      'invalid_view_query',
      'query',
    );
  const columns = [...new Set(view.columns)];
  if (columns.length === 0 || columns.length > VIEW_COLUMNS_MAX || !columns.every((c) => COLUMN_ID.test(c)))
    throw new InvalidInputError(
      `1 to ${VIEW_COLUMNS_MAX} column ids (letters and digits)`,
      'invalid_columns',
      'columns',
    );
  return {
    name: checkName(view.name),
    query: view.query.replace(/^\?/, ''),
    columns,
    sortField: view.sortField,
    sortDirection: view.sortDirection,
  };
}
