/**
 * ESLint for Axial: the recommended sets of ESLint and typescript-eslint, React's hook rules in the
 * renderer, and the one length rule Prettier cannot enforce (it never breaks strings or comments).
 * Formatting itself is Prettier's (.prettierrc.json); import layering is dependency-cruiser's
 * (.dependency-cruiser.cjs). tests/unit/architecture/lintRules.test.ts checks this file's rules fire.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Node's globals for the few plain-JavaScript build and config scripts (no `globals` package needed for six names). */
const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
  URL: 'readonly',
  module: 'writable',
  require: 'readonly',
  __dirname: 'readonly',
};

export default defineConfig(
  { ignores: ['dist/', 'out/', 'release/', 'bench-results/', 'test-results/', 'docs/', 'models/', 'assets/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The codebase already compares strictly; `!= null` (null or undefined) is its one loose idiom.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Every control-character class in the code is deliberate (stripping control characters from user-visible text).
      'no-control-regex': 'off',
      // Prettier wraps code to its printWidth; strings and comments it cannot wrap are held to 160 here.
      'max-len': ['error', { code: 160, tabWidth: 2, ignoreUrls: true }],
      // `_`-prefixed parameters and rest siblings are the codebase's way to say "deliberately unused".
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    // The two rules of hooks. The plugin's other recommended rules (refs, immutability, set-state-in-effect, …)
    // police code for the React Compiler, which Axial does not use: its "latest value" refs written during
    // render and its per-volume caches are deliberate, and rewriting them would change when values update.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
