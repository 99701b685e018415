// Lint rules: typescript-eslint's recommended set, type-aware where it pays.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', 'scripts/runtimes/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-control-regex': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(exec|execSync|spawnSync)$/][callee.object.name='child_process']",
          message: 'OS commands go through platform/exec.ts (argument arrays, never a shell string).',
        },
      ],
      'no-restricted-imports': ['error', { paths: [{ name: 'child_process', importNames: ['exec', 'execSync'], message: 'Use platform/exec.ts.' }, { name: 'node:child_process', importNames: ['exec', 'execSync'], message: 'Use platform/exec.ts.' }] }],
    },
  },
  {
    files: ['platform/**/*.ts', 'src/probes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/checks/**', '**/report/**', '../checks/*', '../report/*'], message: 'platform/ and probes/ never import checks/ or report/.' },
          ],
          paths: [{ name: 'node:child_process', importNames: ['exec', 'execSync'], message: 'Use platform/exec.ts.' }],
        },
      ],
    },
  },
);
