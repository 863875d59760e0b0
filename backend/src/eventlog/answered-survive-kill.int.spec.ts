import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import {
  answeredUntilKilled,
  apiUnderTrafficEnv,
  missingFromLog,
} from '../../test/support/kill-under-traffic';
import { createProjects } from '../../test/support/projector-faults';
import { SOURCES, startSightlineChild } from '../../test/support/sightline-child';
import { LmdbEventLog } from './lmdb/lmdb-event-log';
import { topicSpecs } from './topics';

// The embedded log is on local disk: what an ingest item's answer or a gateway call's end was sent
// after is committed there, so the log read after the kill holds it, with no restart.
describe('embedded log: a kill -9 of Sightline loses nothing it answered', () => {
  let dir: string;
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-kill-'));
    fake = await startFakeOpenAiServer({ apiKey: 'kill' });
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every ingest item and gateway call answered before the SIGKILL is in the log', async () => {
    const logDir = join(dir, 'eventlog');
    const before = LmdbEventLog.open(logDir);
    await before.ensureTopics(topicSpecs(3));
    const [project] = await createProjects(before);
    await before.close();
    const env = apiUnderTrafficEnv(
      { url: fake.url, apiKey: 'kill' },
      { DATA_DIR: dir, EVENT_LOG_DIR: logDir },
    );
    const answered = await answeredUntilKilled(await startSightlineChild(SOURCES, env), project, 3000);
    expect(answered.items.size).toBeGreaterThan(0);
    expect(answered.calls.size).toBeGreaterThan(0);

    const after = LmdbEventLog.open(logDir);
    await after.ensureTopics(topicSpecs(3));
    try {
      expect(await missingFromLog(after, project.projectId, answered)).toEqual({ items: [], calls: [] });
    } finally {
      await after.close();
    }
  }, 120_000);
});
