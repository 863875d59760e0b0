import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { restatementSuite } from '../../test/support/restatement.suite';

const path = join(mkdtempSync(join(tmpdir(), 'sl-rst-lmdb-')), 'eventlog');
const topic = 'sightline.llm-events';

restatementSuite(
  'the embedded lmdb log',
  async () => {
    const log = LmdbEventLog.open(path);
    await log.ensureTopics([{ name: topic, partitions: 3 }]);
    return log;
  },
  topic,
);
