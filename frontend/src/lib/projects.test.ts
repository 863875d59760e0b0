import { describe, expect, it } from 'vitest';
import {
  chooseProject,
  groupByOrganization,
  rememberedProject,
  rememberProject,
  withProject,
} from './projects';

const projects = [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }];

describe('chooseProject', () => {
  it('prefers the project in the URL, then the remembered one, then the first', () => {
    expect(chooseProject(projects, 'p3', 'p2')).toBe('p3');
    expect(chooseProject(projects, null, 'p2')).toBe('p2');
    expect(chooseProject(projects, undefined, undefined)).toBe('p1');
  });

  it('ignores ids the user cannot open', () => {
    expect(chooseProject(projects, 'gone', 'also-gone')).toBe('p1');
    expect(chooseProject(projects, '', 'p2')).toBe('p2');
  });

  it('has nothing to choose without projects', () => {
    expect(chooseProject([], 'p1', 'p2')).toBeNull();
  });
});

describe('remembered project', () => {
  function memory() {
    const map = new Map<string, string>();
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
    };
  }

  it('stores and reads the last project', () => {
    const storage = memory();
    expect(rememberedProject(storage)).toBeNull();
    rememberProject('p2', storage);
    expect(rememberedProject(storage)).toBe('p2');
  });

  it('survives storage that throws or is missing', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(rememberedProject(broken)).toBeNull();
    expect(() => rememberProject('p1', broken)).not.toThrow();
    expect(rememberedProject(null)).toBeNull();
  });
});

describe('withProject', () => {
  it('sets ?project= and keeps the rest of the URL', () => {
    expect(withProject(new URL('http://h/settings/keys'), 'p2')).toBe('/settings/keys?project=p2');
    expect(withProject(new URL('http://h/audit?project=p1&x=1#top'), 'p 2')).toBe(
      '/audit?project=p+2&x=1#top',
    );
  });
});

describe('groupByOrganization', () => {
  it('groups by organization id, sorting organizations and projects by name', () => {
    const acme = { id: 'o2', name: 'Acme' };
    const zeta = { id: 'o1', name: 'Zeta' };
    const groups = groupByOrganization([
      { id: 'a', name: 'web', organization: zeta },
      { id: 'b', name: 'api', organization: acme },
      { id: 'c', name: 'batch', organization: zeta },
    ]);
    expect(groups.map((g) => [g.organization.name, g.projects.map((p) => p.name)])).toEqual([
      ['Acme', ['api']],
      ['Zeta', ['batch', 'web']],
    ]);
    expect(groupByOrganization([])).toEqual([]);
  });
});
