// Dates of the time column: the day (today, yesterday, or the date) over the time of day.
const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Today", "Yesterday", "Nov 28" (this year) or "Nov 28, 2025", in local time. */
export function formatDay(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(date)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const md = `${MONTHS[date.getMonth()]} ${date.getDate()}`;
  return date.getFullYear() === now.getFullYear() ? md : `${md}, ${date.getFullYear()}`;
}

/** `HH:MM:SS` in local time. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; the date beyond a week. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  const s = Math.round(ms / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 7 * 86_400) return `${Math.floor(s / 86_400)} d ago`;
  return formatDay(iso, now);
}

/** One formatter for every call: making an `Intl.DateTimeFormat` costs far more than using one. */
let absolute: Intl.DateTimeFormat | undefined;
/**
 * Tooltips already made, by ISO time: the live tail's rows show other generations at every frame
 * (keyed by position), and formatting is most of their update's script time. Bounded: cleared when full.
 */
const absoluteTexts = new Map<string, string>();
const ABSOLUTE_TEXTS_MAX = 5_000;

/** The absolute time for a tooltip: local date and time, and UTC. */
export function formatAbsolute(iso: string): string {
  const known = absoluteTexts.get(iso);
  if (known !== undefined) return known;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  absolute ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const text = `${absolute.format(date)} · ${date.toISOString().replace('T', ' ').replace('Z', ' UTC')}`;
  if (absoluteTexts.size >= ABSOLUTE_TEXTS_MAX) absoluteTexts.clear();
  absoluteTexts.set(iso, text);
  return text;
}
