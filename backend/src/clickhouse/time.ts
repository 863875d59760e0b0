/** ClickHouse returns DateTime64(3, 'UTC') as `YYYY-MM-DD hh:mm:ss.sss`; the API speaks ISO-8601. */
export function chTimeToIso(value: string): string {
  return `${value.replace(' ', 'T')}Z`;
}

/** An ISO-8601 instant as a `DateTime64(3, 'UTC')` query parameter. */
export function isoToChTime(value: string): string {
  return new Date(value).toISOString().replace('T', ' ').replace('Z', '');
}

/** An ISO-8601 instant as a `DateTime64(3, 'UTC')` column stores it and reads it back (`chTimeToIso`). */
export function storedIso(value: string): string {
  return new Date(value).toISOString();
}
