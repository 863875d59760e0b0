import { DEMO_DURATION_MS, DEMO_TAG, demoPlan, type ChatCall } from './demo-plan';

const calls = (plan: ReturnType<typeof demoPlan>): ChatCall[] =>
  plan.flatMap((s) => (s.kind === 'agent' ? [] : [s.call]));

describe('demo plan', () => {
  const plan = demoPlan('r1');

  it('is the same for the same seed, its sessions apart per run', () => {
    expect(demoPlan('r1')).toEqual(plan);
    expect(JSON.stringify(demoPlan('r2'))).not.toBe(JSON.stringify(plan));
    expect(calls(plan).every((c) => c.context.sessionId?.startsWith('demo-r1-'))).toBe(true);
  });

  it('spreads its steps over a minute, in order', () => {
    const times = plan.map((s) => s.at);
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBeLessThan(DEMO_DURATION_MS);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('has every kind of traffic: streamed and multi-turn chats, tools, JSON, planned errors, agents', () => {
    const all = calls(plan);
    expect(new Set(plan.map((s) => s.kind))).toEqual(new Set(['conversation', 'tool-call', 'agent']));
    expect(all.some((c) => c.body.stream === true)).toBe(true);
    expect(all.some((c) => 'response_format' in c.body)).toBe(true);
    expect(all.some((c) => 'tools' in c.body)).toBe(true);
    expect(all.filter((c) => c.expectError).length).toBeGreaterThanOrEqual(3);
    expect(plan.some((s) => s.kind === 'conversation' && s.followUps.length > 0)).toBe(true);
    expect(new Set(all.map((c) => c.body.model)).size).toBeGreaterThan(1);
    expect(new Set(all.map((c) => c.context.userId)).size).toBeGreaterThan(3);
    expect(all.every((c) => c.context.tags.includes(DEMO_TAG))).toBe(true);
    expect(plan.some((s) => s.kind === 'agent' && s.toolFails)).toBe(true);
  });
});
