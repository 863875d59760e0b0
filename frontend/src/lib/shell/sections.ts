// The app's sections as the sidebar lists them, and the pages of Settings. A helper adding a page
// registers it here with one line.
import type { RouteId } from '$app/types';

/** A route without parameters (the sections and settings pages). */
type StaticRoute = Exclude<RouteId, `${string}[${string}`>;

export interface Section {
  /** The route the link opens. */
  readonly route: StaticRoute;
  readonly label: string;
  /** Route id prefixes that belong to the section (its link is marked current on them). */
  readonly owns: readonly string[];
  /** Not built yet: the link opens a page that says so. */
  readonly coming?: boolean;
}

export const SECTIONS: readonly Section[] = [
  { route: '/traces', label: 'Traces', owns: ['/', '/traces'] },
  { route: '/sessions', label: 'Sessions', owns: ['/sessions'] },
  { route: '/users', label: 'Users', owns: ['/users'] },
  { route: '/dashboards', label: 'Dashboards', owns: ['/dashboards'] },
  { route: '/playground', label: 'Playground', owns: ['/playground'] },
  { route: '/experiments', label: 'Experiments', owns: ['/experiments'] },
  { route: '/evaluations', label: 'Evaluations', owns: ['/evaluations'], coming: true },
  { route: '/settings', label: 'Settings', owns: ['/settings'] },
];

export interface SettingsPage {
  readonly route: StaticRoute;
  readonly label: string;
}

export const SETTINGS_PAGES: readonly SettingsPage[] = [
  { route: '/settings/project', label: 'Project' },
  { route: '/settings/keys', label: 'API keys' },
  { route: '/settings/providers', label: 'Providers' },
  { route: '/settings/prices', label: 'Prices' },
  { route: '/settings/budgets', label: 'Budgets' },
  { route: '/settings/redaction', label: 'Redaction' },
  { route: '/settings/members', label: 'Members' },
  { route: '/settings/restatements', label: 'Restatement' },
  { route: '/settings/data', label: 'Data' },
  { route: '/settings/audit', label: 'Audit log' },
];

/** The section a route belongs to (the longest matching prefix); null for pages outside them. */
export function sectionOf(routeId: string | null): Section | null {
  if (!routeId) return null;
  let best: Section | null = null;
  let bestLength = -1;
  for (const section of SECTIONS) {
    for (const prefix of section.owns) {
      const matches =
        prefix === '/' ? routeId === '/' : routeId === prefix || routeId.startsWith(`${prefix}/`);
      if (matches && prefix.length > bestLength) {
        best = section;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}
