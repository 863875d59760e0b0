/**
 * The same "random" values on every run (mulberry32), for specs that compare two implementations
 * over many generated cases: `rand()` in [0, 1), `pick` one value, `some` of the values (each 40 %).
 */
export function seededRandom(seed: number) {
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;
  const some = <T>(values: readonly T[]): T[] => values.filter(() => rand() < 0.4);
  return { rand, pick, some };
}
