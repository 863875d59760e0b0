import { CommandBus } from '@nestjs/cqrs';
import { ForbiddenError } from '../common/errors';
import { SetRoleCommand } from '../auth/commands/projects.commands';
import { RegisterUserCommand } from '../auth/commands/users.commands';
import { SYSTEM } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { createTestProject } from '../../test/support/accounts';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';
import { SaveViewCommand } from './views.commands';

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string; param?: string } }[];
}
interface View {
  id: string;
  name: string;
  query: string;
  columns: string[];
  sortField: string;
  sortDirection: string;
}

const VIEW = 'id name query columns sortField sortDirection';
const LIST = `{ savedViews { ${VIEW} } }`;
const SAVE = `mutation($id: ID, $input: SavedViewInput!) { saveView(id: $id, input: $input) { ${VIEW} } }`;
const RENAME = `mutation($id: ID!, $name: String!) { renameView(id: $id, name: $name) { ${VIEW} } }`;
const DELETE = `mutation($id: ID!) { deleteView(id: $id) }`;

const input = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  query: 'range=24h&model=gpt-4o&errors=only',
  columns: ['time', 'name', 'latency', 'cost'],
  sortField: 'LATENCY_MS',
  sortDirection: 'DESC',
  ...over,
});

describe('saved views over GraphQL (control-plane events on the embedded log)', () => {
  let gw: GatewayApp;
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}, key = gw.apiKey) => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Answer<T>;
  };
  const extensions = (answer: Answer<unknown>) => answer.errors?.[0]?.extensions;

  beforeAll(async () => {
    gw = await startGatewayApp('views', {});
  });
  afterAll(() => gw.app.close());

  it('saves, lists by name, replaces, renames and deletes a view of the project', async () => {
    const saved = await graphql<{ saveView: View }>(SAVE, { input: input('Slow errors') });
    expect(saved.errors).toBeUndefined();
    const view = saved.data!.saveView;
    expect(view).toMatchObject(input('Slow errors'));
    await graphql(SAVE, { input: input('A cheap one', { sortField: 'STARTED_AT', sortDirection: 'ASC' }) });

    const listed = await graphql<{ savedViews: View[] }>(LIST);
    expect(listed.data?.savedViews.map((v) => v.name)).toEqual(['A cheap one', 'Slow errors']);

    const replaced = await graphql<{ saveView: View }>(SAVE, {
      id: view.id,
      input: input('Slow errors', { columns: ['time', 'io'], query: '?range=1h' }),
    });
    expect(replaced.data?.saveView).toMatchObject({
      id: view.id,
      columns: ['time', 'io'],
      query: 'range=1h',
    });

    const renamed = await graphql<{ renameView: View }>(RENAME, { id: view.id, name: '  Last hour ' });
    expect(renamed.data?.renameView).toMatchObject({ id: view.id, name: 'Last hour' });

    expect((await graphql<{ deleteView: string }>(DELETE, { id: view.id })).data?.deleteView).toBe(view.id);
    const after = await graphql<{ savedViews: View[] }>(LIST);
    expect(after.data?.savedViews.map((v) => v.name)).toEqual(['A cheap one']);
    expect(extensions(await graphql(RENAME, { id: view.id, name: 'back' }))).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'view_not_found',
    });
  });

  it('refuses a taken name, bad columns and an unknown sort field with stable codes, and changes nothing', async () => {
    await graphql(SAVE, { input: input('Taken') });
    const before = (await graphql<{ savedViews: View[] }>(LIST)).data?.savedViews;
    expect(extensions(await graphql(SAVE, { input: input('TAKEN') }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'view_name_taken',
    });
    expect(
      extensions(await graphql(SAVE, { input: input('Bad', { columns: ['time', 'x y'] }) })),
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_columns', param: 'columns' });
    expect(extensions(await graphql(SAVE, { input: input('', {}) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'invalid_view_name',
    });
    expect(extensions(await graphql(SAVE, { input: input('Sorted', { sortField: 'NAME' }) }))?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await graphql<{ savedViews: View[] }>(LIST)).data?.savedViews).toEqual(before);
  });

  it("keeps projects apart: another project's key neither lists nor renames this project's views", async () => {
    const other = await createTestProject(gw.app, 'views-other');
    const mine = (await graphql<{ saveView: View }>(SAVE, { input: input('Mine only') })).data!.saveView;
    const theirs = await graphql<{ savedViews: View[] }>(LIST, {}, other.apiKey);
    expect(theirs.data?.savedViews).toEqual([]);
    expect(extensions(await graphql(RENAME, { id: mine.id, name: 'stolen' }, other.apiKey))).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'view_not_found',
    });
    expect(gw.app.get(ControlPlane).current.views.get(mine.id)?.name).toBe('Mine only');
  });

  it('a viewer of the project may not save a view', async () => {
    const commands = gw.app.get(CommandBus);
    const project = await createTestProject(gw.app, 'views-viewer');
    const viewer = await commands.execute(
      new RegisterUserCommand(SYSTEM, {
        email: `viewer-${Date.now()}@example.com`,
        name: 'v',
        password: 'password-viewer',
      }),
    );
    await commands.execute(new SetRoleCommand(SYSTEM, project.projectId, viewer.userId, 'viewer'));
    const save = commands.execute(
      new SaveViewCommand({ userId: viewer.userId, via: 'session' }, project.projectId, null, {
        ...input('Viewer view'),
        sortDirection: 'DESC',
      }),
    );
    await expect(save).rejects.toBeInstanceOf(ForbiddenError);
  });
});
