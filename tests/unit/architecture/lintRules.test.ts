import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../repoRoot.js';

const eslint = new ESLint({ overrideConfigFile: join(repoRoot, 'eslint.config.js'), cwd: repoRoot });

/** The rule ids ESLint reports for `code` as if it were the file at `path` (repo-relative; it need not exist). */
async function rulesFiredOn(path: string, code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  return result!.messages.map((message) => message.ruleId);
}

const hook = `import { useState } from 'react';

export function Counter({ on }: { on: boolean }): number {
  if (on) {
    const [count] = useState(0);
    return count;
  }
  return 0;
}
`;

describe('the lint rules (eslint.config.js)', () => {
  it('pass clean code', async () => {
    expect(await rulesFiredOn('main/probe.ts', 'export const sum = (a: number, b: number): number => a + b;\n')).toEqual([]);
  });

  it('fail a line of 170 characters, in code, a string or a comment, and pass one of 160', async () => {
    /** `export const xxx… = 1;`, `length` characters long. */
    const line = (length: number): string => `export const ${'x'.repeat(length - 'export const  = 1;'.length)} = 1;`;
    expect(line(170)).toHaveLength(170);
    expect(await rulesFiredOn('main/probe.ts', `${line(170)}\n`)).toEqual(['max-len']);
    expect(await rulesFiredOn('main/probe.ts', `${line(160)}\n`)).toEqual([]);
    expect(await rulesFiredOn('main/probe.ts', `export const s = '${'s'.repeat(150)}';\n`)).toEqual(['max-len']);
    expect(await rulesFiredOn('main/probe.ts', `// ${'c'.repeat(167)}\nexport const c = 1;\n`)).toEqual(['max-len']);
  });

  it('let a long URL through', async () => {
    expect(await rulesFiredOn('main/probe.ts', `// https://example.org/${'u'.repeat(160)}\nexport const u = 1;\n`)).toEqual([]);
  });

  it('fail a hook called conditionally in the renderer', async () => {
    expect(await rulesFiredOn('renderer/probe.tsx', hook)).toEqual(['react-hooks/rules-of-hooks']);
  });

  it('fail an unused variable and a loose equality', async () => {
    expect(await rulesFiredOn('main/probe.ts', 'const unused = 1;\nexport const y = 2;\n')).toEqual(['@typescript-eslint/no-unused-vars']);
    expect(await rulesFiredOn('main/probe.ts', 'export const same = (a: unknown, b: unknown): boolean => a == b;\n')).toEqual(['eqeqeq']);
  });
});
