// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers import only downward (docs/architecture.md): a file may import its
// own layer and the layers below, never one above, so an upward import fails
// the lint. test/import-boundaries.test.ts proves each rule fires.
const NODE_ONLY = 'Only src/node/** (serverwamp/node) may use Node built-ins or ws: the core stays runtime-neutral.';
const nodeOnlyPaths = [{ name: 'ws', message: NODE_ONLY }];
const nodeOnlyPatterns = [{ group: ['node:*'], message: NODE_ONLY }];

/** `no-restricted-imports` for `files`: the Node ban, plus `patterns`. */
function boundary(files, patterns = [], ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { paths: nodeOnlyPaths, patterns: [...nodeOnlyPatterns, ...patterns] }] } };
}

function onlyFrom(layer, allowed, prefix = '../') {
  return {
    // Sibling imports stay inside the folder; anything through `prefix` must be
    // allowed (gitignore syntax: '../protocol' allows that whole folder).
    group: [`${prefix}*`, ...allowed.map((path) => `!${prefix}${path}`)],
    message: `${layer} may import only ${allowed.length === 0 ? 'its own folder' : `its own folder and ${allowed.join(', ')}`} (layers import only downward; see docs/architecture.md).`,
  };
}

// The layers, as paths relative to src/ (a folder, or a file at the root).
const L0 = ['protocol', 'serializers', 'metrics', 'errors.js', 'logger.js', 'host-logger.js', 'options.js', 'own-properties.js', 'frame-length.js', 'features.js', 'version.js', 'api-shape.js'];
const L1 = [...L0, 'model', 'routing', 'transport.js', 'transport-info.js', 'session-directory.js', 'tracing'];
const L2 = [...L1, 'auth', 'rpc', 'events'];
const L3 = [...L2, 'realm.js', 'meta'];
const L4 = [...L3, 'engine'];
const L0_ROOT = ['errors', 'logger', 'host-logger', 'options', 'own-properties', 'frame-length', 'features', 'version', 'api-shape'].map((name) => `src/${name}.ts`);

/** rpc/ and events/ share authorization only: each is blind to the other, and to the rest of auth/. */
const authorizeOnly = {
  group: ['../auth/*', '!../auth/authorize.js'],
  message: 'src/rpc and src/events may import only auth/authorize.js from src/auth (layers import only downward).',
};

/** The one file outside src/node that may reach the runtime: it asks for diagnostics_channel (docs/architecture.md, "Tracing"). */
const RUNTIME_PROBE = 'src/tracing/channels.ts';
const PROBE_ONLY = `Only ${RUNTIME_PROBE} may reach the runtime's modules through globalThis.process (docs/architecture.md, "Tracing").`;

const CLIENT_TYPES_ONLY = 'src/client (serverwamp/client) may import only types from the rest of src/: nothing of the server may reach a browser bundle (docs/typed-client.md).';

const boundaries = [
  boundary(['src/**/*.ts'], [], ['src/node/**']),
  {
    // Node's globals, like its modules, stay in the Node adapter (Web Crypto, Uint8Array and TextEncoder elsewhere).
    files: ['src/**/*.ts'],
    ignores: ['src/node/**'],
    rules: { 'no-restricted-globals': ['error', ...['Buffer', 'process', 'setImmediate', 'clearImmediate'].map((name) => ({ name, message: NODE_ONLY }))] },
  },
  {
    // Reaching Node through globalThis (`globalThis.process`, `getBuiltinModule`) is the runtime probe's alone.
    files: ['src/**/*.ts'],
    ignores: ['src/node/**', RUNTIME_PROBE],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'globalThis', property: 'process', message: PROBE_ONLY },
        { property: 'getBuiltinModule', message: PROBE_ONLY },
      ],
    },
  },
  // L0.
  boundary(['src/protocol/**/*.ts'], [onlyFrom('src/protocol', ['logger.js'])]),
  boundary(['src/serializers/**/*.ts'], [onlyFrom('src/serializers', ['protocol', 'errors.js', 'own-properties.js'])]),
  // Metrics: counters, histograms and the Prometheus text; the engine reports to them through metrics/sink.ts.
  boundary(['src/metrics/**/*.ts'], [onlyFrom('src/metrics', ['protocol', 'errors.js', 'options.js', 'frame-length.js'])]),
  boundary(L0_ROOT, [onlyFrom('src/errors.ts and the other root leaves', L0, './')]),
  // L1: what handlers and adapters see, and URI routing.
  boundary(['src/model/**/*.ts'], [onlyFrom('src/model', [...L0, 'transport-info.js'])]),
  boundary(['src/session-directory.ts'], [onlyFrom('src/session-directory.ts', [...L0, 'model'], './')]),
  boundary(['src/routing/**/*.ts'], [onlyFrom('src/routing', ['protocol', 'errors.js'])]),
  // Tracing: channel names, context types, trace-context checks, and the runtime probe.
  boundary(['src/tracing/**/*.ts'], [onlyFrom('src/tracing', [...L0, 'model'])]),
  // serverwamp/opentelemetry: a subscriber to the tracing channels, seeing only src/tracing, model types and L0.
  boundary(['src/opentelemetry/**/*.ts'], [onlyFrom('src/opentelemetry', [...L0, 'model', 'tracing'])]),
  boundary(['src/transport.ts', 'src/transport-info.ts'], [onlyFrom('src/transport.ts', [...L0, 'transport-info.js'], './')]),
  // L2: authentication and authorization, RPC, pub/sub; rpc and events do not know each other.
  boundary(['src/auth/**/*.ts'], [onlyFrom('src/auth', L1)]),
  boundary(['src/rpc/**/*.ts'], [onlyFrom('src/rpc', [...L1, 'auth']), authorizeOnly]),
  boundary(['src/events/**/*.ts'], [onlyFrom('src/events', [...L1, 'auth']), authorizeOnly]),
  // L3: the realm and its meta API.
  boundary(['src/meta/**/*.ts'], [onlyFrom('src/meta', L2)]),
  boundary(['src/realm.ts'], [onlyFrom('src/realm.ts', L3, './')]),
  // Scale-out drivers (in-process today, Redis next): they see only the backplane contract.
  boundary(['src/cluster/**/*.ts'], [
    onlyFrom('src/cluster', [...L0, 'events']),
    { group: ['../events/*', '!../events/backplane.js'], message: 'src/cluster may import only events/backplane.js from src/events (the backplane contract).' },
  ]),
  // serverwamp/redis: a backplane driver like cluster/, plus the retained-store contract it implements.
  boundary(['src/redis/**/*.ts'], [
    onlyFrom('src/redis', [...L0, 'events']),
    {
      group: ['../events/*', '!../events/backplane.js', '!../events/retained-store.js'],
      message: 'src/redis may import only events/backplane.js and events/retained-store.js from src/events (the contracts it implements).',
    },
  ]),
  // L4: the session engine.
  boundary(['src/engine/**/*.ts'], [onlyFrom('src/engine', L3)]),
  // Remote sessions: operations on another node's sessions, for the application (L5) only.
  boundary(['src/remote/**/*.ts'], [onlyFrom('src/remote', L4)]),
  // L5: the application and the public entries; none of them reaches the Node adapter (src/node, L6).
  boundary(['src/application.ts', 'src/application-options.ts', 'src/outbound-budget.ts', 'src/scale-out-options.ts', 'src/shutdown.ts', 'src/limit-options.ts', 'src/peer-connections.ts', 'src/health.ts', 'src/infer-api.ts'], [
    onlyFrom('src/application.ts', [...L4, 'application-options.js', 'outbound-budget.js', 'scale-out-options.js', 'shutdown.js', 'limit-options.js', 'peer-connections.js', 'health.js', 'remote'], './'),
  ]),
  // L6 serverwamp/web: web-standard hosts (Bun, Deno); like src/node it may use every layer, but never Node.
  boundary(['src/web/**/*.ts'], [{ group: ['../node', '../node/*'], message: 'src/web is runtime-neutral: it may not import the Node adapter.' }]),
  // L6 serverwamp/fastify: a Fastify plugin over the Node adapter; Node only through src/node, and never src/web.
  boundary(['src/fastify/**/*.ts'], [{ group: ['../web', '../web/*'], message: 'src/fastify serves through the Node adapter (src/node): it may not import src/web.' }]),
  // L6 serverwamp/cloudflare: Workers and Durable Objects on workerd, built on src/web; runtime-neutral, never Node.
  boundary(['src/cloudflare/**/*.ts'], [{ group: ['../node', '../node/*'], message: 'src/cloudflare is runtime-neutral: it may not import the Node adapter.' }]),
  // L6 serverwamp/client: runs in browsers beside autobahn-js or wampy; from the server it takes types only.
  boundary(['src/client/**/*.ts'], [{ group: ['../node', '../node/*'], message: CLIENT_TYPES_ONLY }]),
  {
    files: ['src/client/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['../*'], allowTypeImports: true, message: CLIENT_TYPES_ONLY }] }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
    },
  },
  // L6 serverwamp/hono: a Hono route on Bun and Deno, built on src/web; runtime-neutral too (on Node, serverwamp/node's attach serves Hono's server).
  boundary(['src/hono/**/*.ts'], [{ group: ['../node', '../node/*'], message: 'src/hono is runtime-neutral: it may not import the Node adapter.' }]),
  boundary(['src/index.ts', 'src/adapter.ts', 'src/testing.ts'], [
    onlyFrom('src/adapter.ts', [...L4, 'application.js', 'application-options.js', 'outbound-budget.js', 'shutdown.js', 'limit-options.js', 'health.js', 'infer-api.js', 'cluster', 'remote'], './'),
  ]),
];

export default tseslint.config(
  { ignores: ['dist/', 'docs-api/', '.snippets/', 'node_modules/', 'bench/node_modules/', 'test/consumer/', 'coverage/', '.bench-results/'] },
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
