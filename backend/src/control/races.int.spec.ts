import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { races } from '../../test/support/control-races.suite';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';

races('embedded lmdb, one log shared in process', async () => {
  const log = LmdbEventLog.open(join(mkdtempSync(join(tmpdir(), 'sightline-race-')), 'log'));
  return [log, log];
});
