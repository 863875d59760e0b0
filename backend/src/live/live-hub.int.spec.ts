import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveHubSuite } from '../../test/support/live-hub.suite';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { topicSpecs } from '../eventlog/topics';

const dir = mkdtempSync(join(tmpdir(), 'sightline-live-hub-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A second connection to the same folder stands for another process sharing the embedded log.
liveHubSuite('the embedded log', {
  openLog: async () => {
    const log = LmdbEventLog.open(join(dir, 'eventlog'));
    await log.ensureTopics(topicSpecs(3));
    return log;
  },
});
