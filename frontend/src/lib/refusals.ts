// What the "Refused requests" panel says about a refusal code (the backend's stable `reason`).

/** The codes the gateway refuses with, in plain words; another code is shown as it is. */
const LABELS: Record<string, string> = {
  model_not_found: 'Unknown model',
  provider_not_configured: 'Provider not configured',
  invalid_json: 'Malformed JSON',
  invalid_body: 'Empty body',
  body_too_large: 'Body too large',
  body_too_deep: 'Body nested too deep',
  unsupported_feature: 'Unsupported feature',
  too_many_requests: 'Rate limited',
  invalid_request: 'Invalid request',
  internal_error: 'Internal error',
};

export function refusalLabel(code: string): string {
  return LABELS[code] ?? code.replaceAll('_', ' ');
}

/** A colour per code, the same on every load (a fixed hue for the usual ones, a hash for others). */
const HUES: Record<string, number> = {
  too_many_requests: 38,
  model_not_found: 262,
  provider_not_configured: 217,
  unsupported_feature: 173,
  invalid_json: 340,
  body_too_large: 12,
};

export function refusalHue(code: string): number {
  if (code in HUES) return HUES[code];
  let hash = 0;
  for (const char of code) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

/** Each part's share of the total in percent, for the bar (at least 1 % so a small one stays visible). */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  return total ? counts.map((n) => Math.max(1, (n / total) * 100)) : counts.map(() => 0);
}

/** `just now`, `5 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function ago(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
