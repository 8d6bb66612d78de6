// require() of the ES module package: Node >= 20.19 loads it synchronously through the "default" condition.
const { Application } = require('serverwamp');
const { listen } = require('serverwamp/node');
const { serverwamp } = require('serverwamp/fastify');
const { upgradeWAMP } = require('serverwamp/hono');

if (typeof Application !== 'function' || typeof listen !== 'function' || typeof serverwamp !== 'function' || typeof upgradeWAMP !== 'function') throw new Error('missing exports');
console.log('cjs ok');
