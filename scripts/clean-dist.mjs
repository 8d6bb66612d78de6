/* global URL */
// Empties dist/ before a build: tsc never deletes the output of a source file that
// was removed or renamed, and the published package must not carry it.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
