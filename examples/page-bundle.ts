/**
 * The demo page's script: examples/page/*.ts bundled by esbuild into one
 * browser script when the example server starts (tens of milliseconds), held
 * in memory and served at /demo.js. Nothing is fetched from a CDN: the page
 * loads this and autobahn-browser from node_modules, both from its own server.
 */
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * How the page is bundled. The page imports the typed client (src/client) and only types from
 * the server, so the bundle holds examples/page and src/client alone (test/demo-bundle.test.ts).
 */
export const PAGE_BUILD = {
  entryPoints: [fileURLToPath(new URL('./page/main.ts', import.meta.url))],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** Bundles the page's script; rejects with esbuild's message if it does not compile. */
export async function bundlePage(): Promise<string> {
  const result = await build(PAGE_BUILD);
  return result.outputFiles[0]!.text;
}
