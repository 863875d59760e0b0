/** The environment asks for something impossible: the instance refuses to start and says what to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
