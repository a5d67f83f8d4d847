import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository, whether this runs from source or from dist/. */
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, existsSync(join(here, '..', 'package.json')) ? '..' : '../..');
