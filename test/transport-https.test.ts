/** The shared transport suite, and what a host adds, on node:https with `attach(app, server, { path: '/ws' })`. */
import { nodeHostSuite } from './helpers/node-host-suite.js';

nodeHostSuite('https', 'node:https');
