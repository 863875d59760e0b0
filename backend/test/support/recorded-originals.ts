import { CommandBus } from '@nestjs/cqrs';
import { ClickHouse } from '../../src/clickhouse/clickhouse';
import { SYSTEM } from '../../src/control/control-events';
import { SetCustomPriceCommand } from '../../src/costs/custom-prices.commands';
import { eventually } from './events';
import type { GatewayApp } from './gateway-app';

/** A custom price of a mock model in the project: 0 unless `over` says (per-request USD, per-MTok rates). */
export function priceMock(
  gw: GatewayApp,
  projectId: string,
  model: string,
  over: { perRequestUsd?: number; outputPerMTok?: number },
): Promise<unknown> {
  return gw.app.get(CommandBus).execute(
    new SetCustomPriceCommand(SYSTEM, projectId, {
      model,
      provider: 'mock',
      effectiveFrom: '2020-01-01',
      effectiveUntil: null,
      inputPerMTok: 0,
      outputPerMTok: 0,
      cachedInputPerMTok: null,
      cacheWritePerMTok: null,
      reasoningPerMTok: null,
      perRequestUsd: null,
      note: '',
      ...over,
    }),
  );
}

/**
 * `count` calls to mock-1 through the gateway, tagged `tag`, the i-th asking `question(i)`; resolves
 * once the generations and the archived requests are all there (what a replay reads).
 */
export async function recordOriginals(
  gw: GatewayApp,
  projectId: string,
  tag: string,
  count: number,
  question: (i: number) => string,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const answer = await fetch(`${gw.base}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gw.apiKey}`,
        'content-type': 'application/json',
        'x-sightline-tags': tag,
      },
      body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: question(i) }] }),
    });
    if (answer.status !== 200) throw new Error(`gateway: ${answer.status} ${await answer.text()}`);
    await answer.text();
  }
  await eventually(
    () =>
      gw.app.get(ClickHouse).query<{ generations: string; requests: string }>(
        `SELECT (SELECT count() FROM generations WHERE project_id = {p:String} AND has(tags, {t:String})) AS generations,
                (SELECT count() FROM events WHERE project_id = {p:String} AND type = 'generation.requested') AS requests`,
        { p: projectId, t: tag },
      ),
    ([n]) => Number(n.generations) >= count && Number(n.requests) >= count,
  );
}
