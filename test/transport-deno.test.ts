/** The shared transport suite against serverwamp/web served natively by Deno (`Deno.serve`), from the `deno` npm package. */
import { describe } from 'node:test';
import { webRuntimeSuite } from './helpers/web-runtime-suite.js';

describe('Deno', () => webRuntimeSuite('deno'));
