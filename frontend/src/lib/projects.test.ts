import { describe, expect, it } from 'vitest';
import { chooseProject } from './projects';

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
