// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers import only downward (issue 10). These rules encode what is true
// today, so that an upward import fails the lint; each step of the redesign
// tightens them (see the marked exceptions).
const NODE_ONLY = 'Only src/node/** (serverwamp/node) may use Node built-ins or ws: the core stays runtime-neutral.';
const nodeOnlyPaths = [{ name: 'ws', message: NODE_ONLY }];
const nodeOnlyPatterns = [{ group: ['node:*'], message: NODE_ONLY }];

/** `no-restricted-imports` for `files`: the Node ban, plus `patterns`. */
function boundary(files, patterns = [], ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { paths: nodeOnlyPaths, patterns: [...nodeOnlyPatterns, ...patterns] }] } };
}

function onlyFrom(layer, allowed) {
  return {
    // Sibling imports ('./x.js') stay inside the folder; anything through '..' must be
    // allowed (gitignore syntax: '../protocol' allows that whole folder).
    group: ['../*', ...allowed.map((path) => `!${path}`)],
    message: `${layer} may import only ${allowed.length === 0 ? 'its own folder' : `its own folder and ${allowed.join(', ')}`} (layers import only downward).`,
  };
}

const boundaries = [
  boundary(['src/**/*.ts'], [], ['src/node/**']),
  // Exception until the issue 10 layering lands: protocol still takes the Logger type from ../logger.js.
  boundary(['src/protocol/**/*.ts'], [onlyFrom('src/protocol', ['../logger.js'])]),
  boundary(['src/serializers/**/*.ts'], [onlyFrom('src/serializers', ['../protocol', '../errors.js', '../own-properties.js'])]),
  boundary(['src/routing/**/*.ts'], [onlyFrom('src/routing', ['../protocol', '../errors.js'])]),
  {
    // Node's globals, like its modules, stay in the Node adapter (Web Crypto, Uint8Array and TextEncoder elsewhere).
    files: ['src/**/*.ts'],
    ignores: ['src/node/**'],
    rules: { 'no-restricted-globals': ['error', ...['Buffer', 'process', 'setImmediate', 'clearImmediate'].map((name) => ({ name, message: NODE_ONLY }))] },
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['examples/**', 'bench/**', 'test/**', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...boundaries,
);
