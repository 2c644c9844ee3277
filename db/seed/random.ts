// Deterministic randomness for demo and benchmark data: the same seed gives the same data.
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  function weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): T {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1]![0];
  }
  /** log-uniform between min and max, rounded to `step` */
  const logUniform = (min: number, max: number, step: number) =>
    Math.max(step, Math.round(Math.exp(Math.log(min) + next() * (Math.log(max) - Math.log(min))) / step) * step);
  return { next, int, pick, chance, weighted, logUniform };
}
export type TRandom = ReturnType<typeof createRandom>;

/** A version-4-shaped UUID drawn from the generator, so seeded ids are reproducible too. */
export function seededUuid(r: TRandom) {
  const hex = Array.from({ length: 32 }, () => Math.floor(r.next() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(r.next() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
