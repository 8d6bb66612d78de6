/** The shared transport suite, and what a host adds, on node:http with `attach(app, server, { path: '/ws' })`. */
import { nodeHostSuite } from './helpers/node-host-suite.js';

nodeHostSuite('http', 'node:http');
