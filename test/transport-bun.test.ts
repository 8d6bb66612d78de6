/** The shared transport suite against serverwamp/web served natively by Bun (`Bun.serve`), from the `bun` npm package. */
import { describe } from 'node:test';
import { webRuntimeSuite } from './helpers/web-runtime-suite.js';

describe('Bun', () => webRuntimeSuite('bun'));
