import type { z } from 'zod';

/** One line per schema issue, each led by its path in the file (`network_data_format.outputs.pred.num_channels: ...`). */
export function formatSchemaIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
      return `  ${path || '(top level)'}: ${issue.message}`;
    })
    .join('\n');
}
