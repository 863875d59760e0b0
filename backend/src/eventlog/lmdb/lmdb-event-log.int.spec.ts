import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLogContract } from '../../../test/support/event-log.contract';
import { LmdbEventLog } from './lmdb-event-log';

describe('LmdbEventLog', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sightline-lmdb-')), 'eventlog');
  eventLogContract({ open: async () => LmdbEventLog.open(path), settleMs: 0 });
});
