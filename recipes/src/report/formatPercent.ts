/** A fraction as a percentage with two decimals (`0.98516` → `98.52%`), as the seed's tables print accuracies. */
export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
