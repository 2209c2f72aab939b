// ESLint: typescript-eslint's recommended type-checked rules over src/, test/, bench/, scripts/.
// Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.cjs', 'fixtures/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        globalThis: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      // TypeScript checks names; ESLint's no-undef does not know its types or Node's globals.
      'no-undef': 'off',
      // Unused arguments named _x are deliberate (interface conformance).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Money, Price and Qty are branded numbers (number & { __unit }); the rule only accepts types flagged as number, so it
      // reports every `-amount` on them. tsc already types the result as number, and a brand's negation is re-branded where kept.
      '@typescript-eslint/no-unsafe-unary-minus': 'off',
    },
  },
  // Vitest's asymmetric matchers (expect.any, expect.stringMatching, expect.objectContaining) are typed `any`.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-unsafe-assignment': 'off' } },
  // Outside tsconfig.json's program (JavaScript, and the root vitest.config.ts): linted without type information.
  { files: ['**/*.js', '**/*.mjs', 'vitest.config.ts'], ...tseslint.configs.disableTypeChecked },
  // bin/ is CommonJS on purpose (bin/package.json): a CommonJS entry starts without Node's ESM loader.
  { files: ['bin/**/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
