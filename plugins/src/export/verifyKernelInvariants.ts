import { checkExportedKernel, type ExportedKernel, type OptimizationState } from '@collabopt/core';

/**
 * Runs every invariant the state holds for a kernel's weight through the invariant's own export
 * check (core's `checkExportedKernel`) on the values read back from an export: what every
 * exporter does before it writes, so a custom invariant is verified like the built-ins.
 *
 * @param kernel the kernel as read back; pass a lazy `values` so kernels without claims cost nothing.
 * @param fail the exporter's error for a violation (its format and wording).
 * @returns the invariants verified and the notes for the report.
 * @throws what `fail` returns, for the first violation.
 */
export function verifyKernelInvariants(
  kernel: ExportedKernel,
  state: OptimizationState | undefined,
  fail: (invariant: string, violation: string) => Error,
): { verified: string[]; notes: string[] } {
  const verified: string[] = [];
  const notes: string[] = [];
  for (const { invariant, data } of state?.recordsOf(kernel.weightId) ?? []) {
    const result = checkExportedKernel(invariant, kernel, data);
    if (result.violation !== null) throw fail(invariant.name, result.violation);
    if (result.note) notes.push(result.note);
    if (result.applies !== false) verified.push(invariant.name);
  }
  return { verified, notes };
}
