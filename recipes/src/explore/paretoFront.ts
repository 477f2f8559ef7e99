/**
 * The items no other item dominates, where `costs(item)` lists objectives that are better when
 * smaller (negate the ones to maximize, e.g. accuracy). `a` dominates `b` when it is no worse in
 * every objective and better in one. Items with a non-finite cost take no part (unmeasured).
 */
export function paretoFront<T>(items: readonly T[], costs: (item: T) => readonly number[]): Set<T> {
  const measured = items.map((item) => ({ item, c: costs(item) })).filter(({ c }) => c.every(Number.isFinite));
  const dominates = (a: readonly number[], b: readonly number[]) => a.every((x, i) => x <= b[i]) && a.some((x, i) => x < b[i]);
  return new Set(measured.filter(({ c }) => !measured.some((o) => dominates(o.c, c))).map(({ item }) => item));
}
