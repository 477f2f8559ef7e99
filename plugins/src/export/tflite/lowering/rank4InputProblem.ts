import type { ModelGraphNode } from '@collabopt/core';

/** Why an image layer's input is not `[batch, height, width, channels]`, or null. */
export function rank4InputProblem(node: ModelGraphNode): string | null {
  const inRank = node.symbolicInputs[0]?.rank ?? 0;
  return inRank === 4 ? null : `input of rank ${inRank}; expected [batch, height, width, channels]`;
}
