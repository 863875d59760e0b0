import type { SavedViewState } from '@sightline/schemas';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  ProjectNotFoundError,
} from '../../common/errors';
import { as, given, member, NOW, project, team, user } from '../../../test/support/control-given';
import type { NewControlEvent } from '../control-events';
import type { ViewInput } from './views';

const input = (over: Partial<ViewInput> = {}): ViewInput => ({
  name: 'Slow errors',
  query: 'range=24h&errors=only',
  columns: ['time', 'name', 'latency'],
  sortField: 'LATENCY_MS',
  sortDirection: 'DESC',
  ...over,
});
const state = (over: Partial<SavedViewState> = {}): SavedViewState => ({
  viewId: 'v1',
  projectId: 'p',
  ...input(),
  columns: ['time', 'name', 'latency'],
  updatedAt: NOW.toISOString(),
  updatedBy: 'max',
  deletedAt: null,
  ...over,
});
const saved = (over: Partial<SavedViewState> = {}): NewControlEvent => {
  const data = state(over);
  return { type: 'view.saved', entityKey: `view:${data.viewId}`, projectId: data.projectId, data };
};
const create = (view = input(), by = as('max'), viewId = 'v1', projectId = 'p') =>
  ({ type: 'create-view', actor: by, now: NOW, viewId, projectId, view }) as const;

describe('saved views', () => {
  it('members save a view for the project; viewers and outsiders may not', () => {
    given(...team())
      .when(create())
      .then(saved());
    given(...team('vera'), member('p', 'vera', 'viewer'))
      .when(create(input(), as('vera')))
      .thenFails(ForbiddenError);
    given(...team(), project('q'))
      .when(create(input(), as('max'), 'v1', 'q'))
      .thenFails(ProjectNotFoundError);
  });

  it('trims the name, drops a leading ? and repeated columns', () => {
    given(...team())
      .when(
        create(
          input({
            name: '  Slow errors ',
            query: '?range=24h&errors=only',
            columns: ['time', 'name', 'time', 'latency'],
          }),
        ),
      )
      .then(saved());
  });

  it.each([
    [input({ name: '   ' }), 'invalid_view_name'],
    [input({ name: 'x'.repeat(101) }), 'invalid_view_name'],
    [input({ query: 'q='.padEnd(2001, 'a') }), 'invalid_view_query'],
    [input({ columns: [] }), 'invalid_columns'],
    [input({ columns: ['time', 'drop table'] }), 'invalid_columns'],
  ])('refuses bad input with a stable reason (%#)', (view, reason) => {
    given(...team())
      .when(create(view))
      .thenFails(InvalidInputError, reason);
  });

  it('names are unique among live views of a project, case-insensitively', () => {
    given(...team(), saved())
      .when(create(input({ name: 'SLOW ERRORS' }), as('ada'), 'v2'))
      .thenFails(ConflictError, 'view_name_taken');
    given(...team(), saved({ deletedAt: NOW.toISOString() }))
      .when(create(input(), as('ada'), 'v2'))
      .then(saved({ viewId: 'v2', updatedBy: 'ada' }));
  });

  it('any member updates and renames a shared view', () => {
    given(...team(), saved())
      .when({
        type: 'update-view',
        actor: as('ada'),
        now: NOW,
        viewId: 'v1',
        projectId: 'p',
        view: input({ columns: ['time'] }),
      })
      .then(saved({ columns: ['time'], updatedBy: 'ada' }));
    given(...team(), saved())
      .when({
        type: 'rename-view',
        actor: as('olga'),
        now: NOW,
        viewId: 'v1',
        projectId: 'p',
        name: ' Errors ',
      })
      .then(saved({ name: 'Errors', updatedBy: 'olga' }));
    given(...team(), saved(), saved({ viewId: 'v2', name: 'Other' }))
      .when({
        type: 'rename-view',
        actor: as('max'),
        now: NOW,
        viewId: 'v2',
        projectId: 'p',
        name: 'slow errors',
      })
      .thenFails(ConflictError, 'view_name_taken');
  });

  it('deletes a view once; another project’s view reads as not found', () => {
    const deleted = state({ deletedAt: NOW.toISOString() });
    given(...team(), saved())
      .when({ type: 'delete-view', actor: as('max'), now: NOW, viewId: 'v1', projectId: 'p' })
      .then({ type: 'view.deleted', entityKey: 'view:v1', projectId: 'p', data: deleted });
    given(...team(), saved({ deletedAt: NOW.toISOString() }))
      .when({ type: 'delete-view', actor: as('max'), now: NOW, viewId: 'v1', projectId: 'p' })
      .thenFails(NotFoundError, 'view_not_found');
    given(...team(), project('q'), user('quinn'), member('q', 'quinn', 'owner'), saved({ projectId: 'q' }))
      .when({ type: 'rename-view', actor: as('max'), now: NOW, viewId: 'v1', projectId: 'p', name: 'Mine' })
      .thenFails(NotFoundError, 'view_not_found');
  });
});
