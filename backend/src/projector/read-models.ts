import { archiveReadModel } from '../archive/archive.read-model';
import { auditReadModel } from '../audit/audit.read-model';
import { experimentsReadModel } from '../experiments/experiments.read-model';
import { generationsReadModel } from '../generations/generations.read-model';
import { restatementReadModel } from '../restatement/restatement.read-model';
import { tracesReadModel } from '../traces/traces.read-model';
import { refusalsReadModel } from '../refusals/refusals.read-model';
import { retentionReadModel } from '../retention/retention.read-model';
import type { ReadModel } from './read-model';

/**
 * Every read model, the one list. Adding one: a folder with its projection and descriptor, and a
 * line here after the read models it depends on.
 */
export const READ_MODELS: readonly ReadModel<unknown>[] = [
  archiveReadModel,
  generationsReadModel,
  tracesReadModel,
  refusalsReadModel,
  auditReadModel,
  retentionReadModel,
  restatementReadModel,
  experimentsReadModel,
];

/**
 * Refuses a list where a read model comes before one it depends on, or depends on one of another
 * source. A dependency left out of the list is taken as already built (e.g. when rebuilding one).
 */
export function checkOrder(readModels: readonly ReadModel<unknown>[]): void {
  readModels.forEach((model, i) => {
    for (const name of model.dependsOn) {
      const dependency = readModels.findIndex((m) => m.name === name);
      if (dependency > i || (dependency >= 0 && readModels[dependency].source !== model.source)) {
        throw new Error(
          `read model ${model.name} depends on ${name}, which must come before it on its source`,
        );
      }
    }
  });
}
