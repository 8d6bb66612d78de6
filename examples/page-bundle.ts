/**
 * The demo page's script: examples/page/*.ts bundled by esbuild into one
 * browser script when the example server starts (tens of milliseconds), held
 * in memory and served at /demo.js. Nothing is fetched from a CDN: the page
 * loads this and autobahn-browser from node_modules, both from its own server.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./page/main.ts', import.meta.url));

/** Bundles the page's script; rejects with esbuild's message if it does not compile. */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
