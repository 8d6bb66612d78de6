/** The shared transport suite, and what a host adds, on Koa with `attach(app, server, { path: '/ws' })`. */
import { nodeHostSuite } from './helpers/node-host-suite.js';

nodeHostSuite('koa', 'Koa');
