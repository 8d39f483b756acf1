import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', '.tmp/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // One-way flow: screens → sync → API → services → repositories. Storage, sync, the API client,
    // the officer session and the service worker never reach up into a screen (static or dynamic).
    files: ['src/db/**/*.ts', 'src/sync/**/*.ts', 'src/lib/**/*.ts', 'src/auth/**/*.ts', 'sw/**/*.ts', 'core/**/*.ts', 'server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(features|app)/', message: 'Storage, sync and core never import a screen (src/features, src/app).' }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "ImportExpression > Literal[value=/(^|\\/)(features|app)\\//]", message: 'Storage, sync and core never import a screen (src/features, src/app).' },
      ],
    },
  },
  {
    // What runs on the phone: the build targets Chromium 80 and Safari 15.4, and nothing polyfills.
    files: ['src/**/*.{ts,tsx}', 'core/**/*.ts', 'sw/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Object', property: 'hasOwn', message: 'Object.hasOwn needs Chromium 93 / Safari 15.4; use Object.prototype.hasOwnProperty.call.' },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
);
