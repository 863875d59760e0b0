import { logLevel as KafkaLogLevel, type LogEntry, type logCreator as LogCreator } from 'kafkajs';

/** Transaction requests whose failures conditional appends expect and handle (races, fencing). */
const TRANSACTION_RESPONSE = /^Response (InitProducerId|AddPartitionsToTxn|EndTxn)\(/;
const TRANSACTION_RACE = /old epoch|concurrent operation on the same transaction/;

/** kafkajs errors that are the normal course of things, not failures. */
function isRoutine({ namespace, log }: LogEntry): boolean {
  const error = String(log.error);
  if (namespace === 'Connection') {
    // A heartbeat answered "rebalancing" is how a member learns about a rebalance.
    if (log.message.startsWith('Response Heartbeat')) return error.includes('rebalancing');
    return TRANSACTION_RESPONSE.test(log.message);
  }
  return namespace === 'Producer' && TRANSACTION_RACE.test(`${log.message} ${error}`);
}

/**
 * kafkajs's console logger, except that routine errors — a rebalance announced to a heartbeat, a
 * conditional append that lost a race — are logged at DEBUG rather than ERROR.
 */
export const consoleLogCreator: LogCreator = (configured) => (entry: LogEntry) => {
  const { namespace, level, label, log } = entry;
  const benign = level === KafkaLogLevel.ERROR && isRoutine(entry);
  if (benign && configured < KafkaLogLevel.DEBUG) return;
  const line = JSON.stringify({
    ...log,
    level: benign ? 'DEBUG' : label,
    message: `${namespace ? `[${namespace}] ` : ''}${log.message}`,
  });
  if (benign || level === KafkaLogLevel.DEBUG) console.debug(line);
  else if (level === KafkaLogLevel.INFO) console.info(line);
  else if (level === KafkaLogLevel.WARN) console.warn(line);
  else console.error(line);
};
