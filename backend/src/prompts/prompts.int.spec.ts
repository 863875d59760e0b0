import { eventually } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}
interface VersionNode {
  name: string;
  version: number;
  labels: string[];
  messages: string;
  model: string | null;
  params: string;
}

const VERSION = 'name version labels messages model params';
const CREATE = `mutation($input: PromptVersionInput!) { createPromptVersion(input: $input) { ${VERSION} } }`;
const LABEL = `mutation($name: String!, $label: String!, $version: Int) {
  setPromptLabel(name: $name, label: $label, version: $version) { ${VERSION} } }`;
const GET = `query($name: String!, $label: String, $version: Int) {
  prompt(name: $name, label: $label, version: $version) { ${VERSION} } }`;
const LIST = `{ prompts { name latestVersion versionCount labels { label version } } }`;

describe('prompts: versions and labels over GraphQL, REST for apps, and the gateway header', () => {
  let gw: GatewayApp;
  const headers = () => ({ authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' });
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Answer<T>;
  };
  const save = (messages: unknown[], labels: string[] = []) =>
    graphql<{ createPromptVersion: VersionNode }>(CREATE, {
      input: {
        name: 'support/triage',
        messages: JSON.stringify(messages),
        model: 'mock-1',
        params: '{"temperature":0.1}',
        labels,
      },
    });
  const system = (text: string) => [{ role: 'system', content: text }];

  beforeAll(async () => {
    gw = await startGatewayApp('prompts', {});
    await save(system('You triage tickets for {{product}}.'), ['production']);
    await save(system('Triage tickets for {{product}}, briefly.'));
  });
  afterAll(() => gw.app.close());

  it('numbers versions per name, moves labels, and reads by label, number or newest', async () => {
    const list = await graphql<{ prompts: unknown[] }>(LIST);
    expect(list.data?.prompts).toEqual([
      {
        name: 'support/triage',
        latestVersion: 2,
        versionCount: 2,
        labels: [{ label: 'production', version: 1 }],
      },
    ]);
    const production = await graphql<{ prompt: VersionNode }>(GET, {
      name: 'support/triage',
      label: 'production',
    });
    expect(production.data?.prompt).toMatchObject({ version: 1, labels: ['production'] });
    const newest = await graphql<{ prompt: VersionNode }>(GET, { name: 'support/triage' });
    expect(newest.data?.prompt).toMatchObject({ version: 2, labels: ['latest'], model: 'mock-1' });

    const moved = await graphql<{ setPromptLabel: VersionNode }>(LABEL, {
      name: 'support/triage',
      label: 'staging',
      version: 2,
    });
    expect(moved.data?.setPromptLabel.labels).toEqual(['latest', 'staging']);
    const missing = await graphql(GET, { name: 'support/triage', label: 'canary' });
    expect(missing.errors?.[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'prompt_version_not_found',
    });
    const bad = await graphql(CREATE, { input: { name: 'x', messages: '{"not":"an array"}' } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_prompt' });
  });

  it('serves a version to apps at GET /api/prompts/:name with parsed JSON', async () => {
    const res = await fetch(
      `${gw.base}/api/prompts/${encodeURIComponent('support/triage')}?label=production`,
      { headers: headers() },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: 'support/triage',
      version: 1,
      messages: system('You triage tickets for {{product}}.'),
      params: { temperature: 0.1 },
    });
    // The slash unencoded reaches the same version, not the framework's generic 404.
    const plain = await fetch(`${gw.base}/api/prompts/support/triage?label=production`, {
      headers: headers(),
    });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toMatchObject({ name: 'support/triage', version: 1 });
    const unknown = await fetch(`${gw.base}/api/prompts/nope`, { headers: headers() });
    expect(unknown.status).toBe(404);
    const unknownNested = await fetch(`${gw.base}/api/prompts/support/nope`, { headers: headers() });
    expect(unknownNested.status).toBe(404);
    expect(await unknownNested.json()).toMatchObject({ error: { code: 'prompt_not_found' } });
  });

  it('the gateway applies x-sightline-prompt: its messages first, variables filled, version in the metadata', async () => {
    const res = await fetch(`${gw.base}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        ...headers(),
        'x-sightline-prompt': 'support/triage@production',
        'x-sightline-prompt-variables': '{"product":"Acme"}',
      },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'My order is late' }] }),
    });
    expect(res.status).toBe(200);
    const spanId = res.headers.get('x-sightline-span-id')!;
    const request = await eventually(
      () =>
        graphql<{ generationRequest: { model: string; messages: string; params: string } }>(
          'query($id: ID!) { generationRequest(id: $id) { model messages params } }',
          { id: spanId },
        ),
      (a) => !!a.data?.generationRequest,
    );
    expect(request.data!.generationRequest.model).toBe('mock-1');
    expect(JSON.parse(request.data!.generationRequest.messages)).toEqual([
      { role: 'system', content: 'You triage tickets for Acme.' },
      { role: 'user', content: 'My order is late' },
    ]);
    const row = await eventually(
      () =>
        graphql<{
          generations: { edges: { node: { id: string; metadata: { key: string; value: string }[] } }[] };
        }>('{ generations(first: 20) { edges { node { id metadata { key value } } } } }'),
      (a) => !!a.data?.generations.edges.some((e) => e.node.id === spanId),
    );
    const metadata = row.data!.generations.edges.find((e) => e.node.id === spanId)!.node.metadata;
    expect(metadata).toEqual(
      expect.arrayContaining([
        { key: 'prompt.name', value: 'support/triage' },
        { key: 'prompt.version', value: '1' },
      ]),
    );
  });

  it('refuses an unknown prompt (404), a missing or an unknown variable (400) in the OpenAI error shape', async () => {
    const ask = (prompt: string, variables?: string) =>
      fetch(`${gw.base}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          ...headers(),
          'x-sightline-prompt': prompt,
          ...(variables ? { 'x-sightline-prompt-variables': variables } : {}),
        },
        body: JSON.stringify({ messages: [] }),
      });
    const unknown = await ask('nope');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'prompt_not_found' } });
    const missing = await ask('support/triage');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: 'invalid_prompt_variables', message: expect.stringContaining('{{product}}') },
    });
    const typo = await ask('support/triage', JSON.stringify({ product: 'Acme', prodcut: 'Acme' }));
    expect(typo.status).toBe(400);
    expect(await typo.json()).toMatchObject({
      error: {
        code: 'invalid_prompt_variables',
        message: expect.stringMatching(/has no \{\{prodcut\}\} \(its variables: \{\{product\}\}\)/),
      },
    });
  });
});
