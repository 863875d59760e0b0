import { newSpanId, newTraceId, type GenerationRequested, type SightlineEvent } from '@sightline/schemas';
import { randomBytes } from 'node:crypto';
import { generationEvents, eventually, spanEvent } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';
import { CommandBus } from '@nestjs/cqrs';
import { CallerResolver, type ProjectAccess } from '../auth/caller';
import { AddProjectModelCommand, RemoveProjectModelCommand } from '../catalog/project-models.commands';
import { SYSTEM } from '../control/control-events';
import { ClickHouse } from '../clickhouse/clickhouse';
import { EventRecorder } from '../eventlog/event-recorder';
import { RecordedRequests } from '../playground/recorded-requests';
import { ReplayService } from './replay.service';

describe('ReplayService: a recorded generation run again through the gateway, as a new trace', () => {
  let gw: GatewayApp;
  let access: ProjectAccess;
  let replays: ReplayService;
  const headers = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${gw.apiKey}`,
    'content-type': 'application/json',
    ...extra,
  });
  const chat = async (body: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(`${gw.base}/v1/chat/completions`, {
      method: 'POST',
      headers: headers(extra),
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    await res.text();
    return {
      spanId: res.headers.get('x-sightline-span-id')!,
      traceId: res.headers.get('x-sightline-trace-id')!,
    };
  };
  /** The request as recorded, once the archive has it. */
  const recorded = (spanId: string): Promise<GenerationRequested> =>
    eventually(
      () =>
        gw.app
          .get(RecordedRequests)
          .get(access.projectId, spanId)
          .catch(() => undefined),
      (r) => r !== undefined,
    ) as Promise<GenerationRequested>;
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      data?: Record<string, unknown>;
      errors?: { extensions?: Record<string, unknown> }[];
    };
  };

  /** Generations in the read model that replay `spanId`. */
  const replaysRecorded = async (spanId: string) =>
    Number(
      (
        await gw.app
          .get(ClickHouse)
          .query<{ n: string }>(
            `SELECT count() AS n FROM generations WHERE project_id = {p:String} AND replay_of = {s:String}`,
            { p: access.projectId, s: spanId },
          )
      )[0].n,
    );

  beforeAll(async () => {
    gw = await startGatewayApp('replay', {});
    const callers = gw.app.get(CallerResolver);
    access = callers.authorize(
      callers.fromHttp({ headers: { authorization: `Bearer ${gw.apiKey}` } }),
      undefined,
      'member',
    );
    replays = gw.app.get(ReplayService);
  });
  afterAll(() => gw.app.close());

  it('given a recorded call, replays it as it was: same request, new trace, replayOf set, source replay', async () => {
    const original = await chat({
      model: 'mock-1',
      stream: true,
      temperature: 0.3,
      seed: 7,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is my parcel?' },
      ],
    });
    const before = await recorded(original.spanId);

    const outcome = await replays.replay(access, original.spanId, {});

    expect(outcome).toMatchObject({ status: 'completed', replayOf: original.spanId, masked: [] });
    expect(outcome.traceId).not.toBe(original.traceId);
    expect(outcome.generationId).not.toBe(original.spanId);
    expect(outcome.latencyMs).toEqual(expect.any(Number));
    expect(outcome.costNanoUsd).toBeNull(); // the mock is unpriced: a cost of null, not 0
    const again = await recorded(outcome.generationId);
    expect(again.source).toBe('replay');
    expect(again.traceId).toBe(outcome.traceId);
    expect(again.data).toMatchObject({
      model: 'mock-1',
      messages: before.data.messages,
      params: before.data.params,
      stream: true,
      replayOf: original.spanId,
    });
    const [row] = await eventually(
      () =>
        gw.app.get(ClickHouse).query<{ replay_of: string; source: string; status: string }>(
          `SELECT replay_of, toString(source) AS source, toString(status) AS status FROM generations
           WHERE project_id = {p:String} AND span_id = {s:String}`,
          { p: access.projectId, s: outcome.generationId },
        ),
      (rows) => rows.length === 1,
    );
    expect(row).toEqual({ replay_of: original.spanId, source: 'replay', status: 'completed' });
  });

  it('applies overrides: another model, parameters merged (null removes), the system prompt replaced', async () => {
    const original = await chat({
      model: 'mock-1',
      temperature: 0.3,
      seed: 7,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is my parcel?' },
      ],
    });
    await recorded(original.spanId);

    const outcome = await replays.replay(access, original.spanId, {
      model: 'mock-large',
      params: { temperature: 1, seed: null, max_tokens: 40 },
      system: 'Answer in French.',
    });

    expect(outcome.status).toBe('completed');
    const again = await recorded(outcome.generationId);
    expect(again.data.model).toBe('mock-large');
    expect(again.data.params).toEqual({ temperature: 1, max_tokens: 40 });
    expect(again.data.messages[0]).toEqual({ role: 'system', content: 'Answer in French.' });
    expect(again.data.messages[1]).toMatchObject({ role: 'user', content: 'Where is my parcel?' });
  });

  it('replays with another version of the prompt the request was made with, its variables read back', async () => {
    const save = (content: string, labels: string[]) =>
      graphql(
        `
          mutation ($input: PromptVersionInput!) {
            createPromptVersion(input: $input) {
              version
            }
          }
        `,
        {
          input: {
            name: 'replay/support',
            messages: JSON.stringify([{ role: 'system', content }]),
            params: '{"temperature":0.1}',
            labels,
          },
        },
      );
    expect((await save('You help {{customer}} with orders.', [])).errors).toBeUndefined();
    expect((await save('Help {{customer}} kindly and briefly.', ['production'])).errors).toBeUndefined();
    const original = await chat(
      { model: 'mock-1', messages: [{ role: 'user', content: 'Refund please' }] },
      { 'x-sightline-prompt': 'replay/support@1', 'x-sightline-prompt-variables': '{"customer":"Ada"}' },
    );
    expect((await recorded(original.spanId)).data.messages[0].content).toBe('You help Ada with orders.');

    const outcome = await replays.replay(access, original.spanId, { prompt: 'replay/support@production' });

    const again = await recorded(outcome.generationId);
    expect(again.data.messages).toEqual([
      { role: 'system', content: 'Help Ada kindly and briefly.' },
      { role: 'user', content: 'Refund please' },
    ]);
    expect(again.data.metadata).toMatchObject({
      'prompt.name': 'replay/support',
      'prompt.version': '2',
      'sightline.replay.changes': 'prompt version replay/support@production',
    });
  });

  it('over GraphQL: fills prompt variables given with the prompt override, and refuses an unknown variable before sending anything', async () => {
    const SAVE = `mutation ($input: PromptVersionInput!) { createPromptVersion(input: $input) { version } }`;
    const save = (content: string) =>
      graphql(SAVE, {
        input: { name: 'replay/vars', messages: JSON.stringify([{ role: 'system', content }]), labels: [] },
      });
    expect((await save('You help {{customer}}.')).errors).toBeUndefined();
    expect((await save('Help {{customer}} in {{language}}.')).errors).toBeUndefined();
    const original = await chat(
      { model: 'mock-1', messages: [{ role: 'user', content: 'Where is my refund?' }] },
      { 'x-sightline-prompt': 'replay/vars@1', 'x-sightline-prompt-variables': '{"customer":"Ada"}' },
    );
    await recorded(original.spanId);
    const REPLAY = `mutation($id: ID!, $o: ReplayOverridesInput) { replayGeneration(generationId: $id, overrides: $o) {
      generationId status } }`;

    const filled = await graphql(REPLAY, {
      id: original.spanId,
      o: { prompt: 'replay/vars@2', variables: '{"language":"French"}' },
    });
    const again = await graphql(REPLAY, { id: original.spanId, o: { variables: '{"customer":"Grace"}' } });
    const unknown = await graphql(REPLAY, {
      id: original.spanId,
      o: { prompt: 'replay/vars@2', variables: '{"language":"French","tone":"dry"}' },
    });
    const noPrompt = await chat({ model: 'mock-1', messages: [{ role: 'user', content: 'Hi' }] });
    await recorded(noPrompt.spanId);
    const without = await graphql(REPLAY, { id: noPrompt.spanId, o: { variables: '{"customer":"Ada"}' } });

    const first = filled.data!.replayGeneration as { generationId: string; status: string };
    expect(first.status).toBe('COMPLETED');
    expect((await recorded(first.generationId)).data.messages[0]).toEqual({
      role: 'system',
      content: 'Help Ada in French.',
    });
    const second = again.data!.replayGeneration as { generationId: string };
    const secondRecorded = await recorded(second.generationId);
    expect(secondRecorded.data.messages[0]).toEqual({ role: 'system', content: 'You help Grace.' });
    expect(secondRecorded.data.metadata).toMatchObject({
      'prompt.name': 'replay/vars',
      'prompt.version': '1',
    });
    expect(unknown.errors?.[0]).toMatchObject({
      message:
        "Prompt 'replay/vars' version 2 has no variable {{tone}}; its variables: {{customer}}, {{language}}",
      extensions: {
        code: 'BAD_USER_INPUT',
        reason: 'invalid_prompt_variables',
        param: 'overrides.variables.tone',
      },
    });
    expect(without.errors?.[0].extensions).toMatchObject({
      reason: 'invalid_prompt_variables',
      param: 'overrides.prompt',
    });
    await eventually(
      () => replaysRecorded(original.spanId),
      (n) => n === 2,
    );
    expect(await replaysRecorded(noPrompt.spanId)).toBe(0);
  });

  it('replays values that were masked before recording as masked, and says where', async () => {
    const secret = `sk-proj-${randomBytes(48).toString('base64url')}`;
    const original = await chat({
      model: 'mock-1',
      messages: [{ role: 'user', content: `My key ${secret} stopped working` }],
    });
    expect((await recorded(original.spanId)).data.messages[0].content).toContain('[REDACTED]');

    const outcome = await replays.replay(access, original.spanId, {});

    expect(outcome.masked).toEqual([{ path: 'messages.0.content', masks: ['[REDACTED]'] }]);
    const again = await recorded(outcome.generationId);
    expect(again.data.messages[0].content).toContain('[REDACTED]');
    expect(JSON.stringify(again)).not.toContain(secret.slice(8));
  });

  it('given a model no rule routes any more, refuses with model_not_found naming the closest catalog models, recording nothing', async () => {
    const [requested, completed] = generationEvents(access.projectId, { model: 'mock-one' });
    const gone = { ...requested, data: { ...requested.data, model: 'mokc-1' } } as SightlineEvent;
    await gw.app.get(EventRecorder).record([gone, completed]);
    await recorded(gone.spanId);

    const error = await replays.replay(access, gone.spanId, {}).catch((e: unknown) => e);

    expect(error).toMatchObject({
      reason: 'model_not_found',
      suggestions: expect.arrayContaining(['mock-1']),
    });
    expect((error as Error).message).toContain("'mock-1'");
  });

  it('given a project model removed since the call, explains it and offers the catalog closest models, recording nothing', async () => {
    const bus = gw.app.get(CommandBus);
    const own = (await bus.execute(
      new AddProjectModelCommand(SYSTEM, access.projectId, {
        name: 'acme-support-ft',
        provider: 'openai',
        wireModel: 'ft:gpt-4o-mini:acme::abc123',
        baseModel: null,
        contextWindow: null,
        maxOutputTokens: null,
        inputPerMTok: null,
        outputPerMTok: null,
      }),
    )) as { modelId: string };
    const [requested, completed] = generationEvents(access.projectId, { model: 'acme-support-ft' });
    const call = {
      ...requested,
      data: { ...requested.data, provider: 'openai', model: 'acme-support-ft' },
    } as SightlineEvent;
    await gw.app.get(EventRecorder).record([call, completed]);
    await recorded(call.spanId);
    await bus.execute(new RemoveProjectModelCommand(SYSTEM, access.projectId, own.modelId));

    const error = await replays.replay(access, call.spanId, {}).catch((e: unknown) => e);

    expect(error).toMatchObject({ reason: 'model_not_found', model: 'acme-support-ft' });
    const { suggestions, message } = error as { suggestions: string[]; message: string };
    expect(suggestions.slice(0, 2)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(message).toMatch(
      /^'acme-support-ft' was a model of this project \(openai 'ft:gpt-4o-mini:acme::abc123'\), removed on \d{4}-\d{2}-\d{2}: no provider serves it now\. Closest models in the catalog: 'gpt-4o-mini', 'gpt-4o'/,
    );
    expect(await replaysRecorded(call.spanId)).toBe(0);
  });

  it('given a request with tools, refuses a model the catalog lists without tool support before anything is sent', async () => {
    const tools = [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } }];
    const original = await chat({
      model: 'mock-1',
      tools,
      messages: [{ role: 'user', content: 'Order 7?' }],
    });
    await recorded(original.spanId);

    const error = await replays
      .replay(access, original.spanId, { model: 'deepseek-reasoner' })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ reason: 'tools_not_supported', param: 'model' });
    expect((error as Error).message).toMatch(/^deepseek-reasoner does not support tools/);
    // Without the tools it is not refused for them (this project has no DeepSeek key: routing refuses it).
    const withoutTools = await replays
      .replay(access, original.spanId, { model: 'deepseek-reasoner', params: { tools: null } })
      .catch((e: unknown) => e);
    expect(withoutTools).toMatchObject({ reason: 'provider_not_configured' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await replaysRecorded(original.spanId)).toBe(0);
  });

  it('replays one step of an agent trace with the tool results recorded in that trace', async () => {
    const traceId = newTraceId();
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const step = await chat(
      {
        model: 'mock-1',
        tools,
        messages: [{ role: 'user', content: 'Weather in Lyon? [mock:tool:get_weather]' }],
      },
      { 'x-sightline-trace-id': traceId },
    );
    const answer = await eventually(
      () =>
        gw.app
          .get(ClickHouse)
          .query<{ tool_calls: string }>(
            `SELECT tool_calls FROM generations WHERE project_id = {p:String} AND span_id = {s:String}`,
            { p: access.projectId, s: step.spanId },
          ),
      (rows) => rows.length === 1,
    );
    const [call] = JSON.parse(answer[0].tool_calls) as { id: string; name: string }[];
    expect(call.name).toBe('get_weather');
    const tool = spanEvent(
      { projectId: access.projectId, traceId, spanId: newSpanId() },
      {
        kind: 'tool',
        name: 'get_weather',
        output: { tempC: 18, sky: 'clear' },
        metadata: { tool_call_id: call.id },
        startedAt: new Date().toISOString(),
      },
    );
    await gw.app.get(EventRecorder).record([tool]);
    await eventually(
      () => replays.replay(access, step.spanId, { toolResults: 'recorded' }).catch((e: unknown) => e),
      (o) => (o as { status?: string }).status === 'completed',
    ).then(async (outcome) => {
      const again = await recorded((outcome as { generationId: string }).generationId);
      expect(again.data.messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            {
              id: call.id,
              type: 'function',
              function: { name: 'get_weather', arguments: expect.any(String) },
            },
          ],
        },
        { role: 'tool', toolCallId: call.id, content: '{"tempC":18,"sky":"clear"}' },
      ]);
    });

    const other = await chat(
      { model: 'mock-1', tools, messages: [{ role: 'user', content: 'Weather? [mock:tool:get_weather]' }] },
      { 'x-sightline-trace-id': newTraceId() },
    );
    await recorded(other.spanId);
    await expect(
      eventually(
        () => replays.replay(access, other.spanId, { toolResults: 'recorded' }).catch((e: unknown) => e),
        (e) => (e as { reason?: string }).reason === 'tool_results_not_recorded',
      ),
    ).resolves.toBeTruthy();
  });

  it("answers a provider's failure as a failed outcome, recorded like any failed call", async () => {
    const res = await fetch(`${gw.base}/v1/chat/completions`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'hi [mock:error:400]' }] }),
    });
    expect(res.status).toBe(400);
    const spanId = res.headers.get('x-sightline-span-id')!;
    await recorded(spanId);

    const outcome = await replays.replay(access, spanId, {});

    expect(outcome).toMatchObject({
      status: 'failed',
      costNanoUsd: null,
      error: { code: expect.any(String) },
    });
    expect(outcome.error!.message).not.toBe('');
    const [row] = await eventually(
      () =>
        gw.app
          .get(ClickHouse)
          .query<{ status: string; replay_of: string }>(
            `SELECT toString(status) AS status, replay_of FROM generations WHERE project_id = {p:String} AND span_id = {s:String}`,
            { p: access.projectId, s: outcome.generationId },
          ),
      (rows) => rows.length === 1,
    );
    expect(row).toEqual({ status: 'failed', replay_of: spanId });
  });

  it('refuses a viewer, and a generation of another project reads as absent', async () => {
    const original = await chat({ model: 'mock-1', messages: [{ role: 'user', content: 'hi' }] });
    await recorded(original.spanId);
    await expect(replays.replay({ ...access, role: 'viewer' }, original.spanId, {})).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(
      replays.replay({ projectId: 'another-project', role: 'owner' }, original.spanId, {}),
    ).rejects.toMatchObject({
      reason: 'generation_not_found',
    });
  });

  it('over GraphQL: replays with another model, lists the replay under the original newest first, and explains a model that is gone', async () => {
    const original = await chat({
      model: 'mock-1',
      messages: [{ role: 'user', content: 'Write to ada@example.com' }],
    });
    await recorded(original.spanId);
    const REPLAY = `mutation($id: ID!, $o: ReplayOverridesInput) { replayGeneration(generationId: $id, overrides: $o) {
      generationId traceId replayOf status cost latencyMs error { code } masked { path masks } } }`;

    const answer = await graphql(REPLAY, {
      id: original.spanId,
      o: { model: 'mock-large', params: '{"temperature":0.9}' },
    });

    const outcome = answer.data!.replayGeneration as Record<string, unknown>;
    expect(outcome).toMatchObject({
      replayOf: original.spanId,
      status: 'COMPLETED',
      cost: null,
      error: null,
    });
    const READ = `query($id: ID!) { generation(id: $id) { id model replayOf
      replays { id model replayOf } maskedInputs { path masks } } }`;
    const read = await eventually(
      () => graphql(READ, { id: original.spanId }),
      (a) => ((a.data?.generation as { replays?: unknown[] } | undefined)?.replays?.length ?? 0) === 1,
    );
    expect(read.data!.generation).toEqual({
      id: original.spanId,
      model: 'mock-1',
      replayOf: null,
      replays: [{ id: outcome.generationId, model: 'mock-large', replayOf: original.spanId }],
      maskedInputs: [],
    });

    const bad = await graphql(REPLAY, { id: original.spanId, o: { model: 'mokc-large' } });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'model_not_found',
      suggestions: expect.arrayContaining(['mock-large']),
    });
    const params = await graphql(REPLAY, { id: original.spanId, o: { params: '{"model":"x"}' } });
    expect(params.errors?.[0].extensions).toMatchObject({
      reason: 'invalid_overrides',
      param: 'overrides.params.model',
    });
  });
});
