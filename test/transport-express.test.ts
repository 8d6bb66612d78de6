/** The shared transport suite, and what a host adds, on Express 5 with `attach(app, server, { path: '/ws' })`. */
import { nodeHostSuite } from './helpers/node-host-suite.js';

nodeHostSuite('express', 'Express 5');
