import { Application, RPCRouteSet } from 'serverwamp';
import { listen } from 'serverwamp/node';
import { createSerializers } from 'serverwamp/adapter';
// fastify is an optional peer, not installed here: the plugin's entry must load without it.
import { serverwamp } from 'serverwamp/fastify';
import { WampDurableObject, serveWorker } from 'serverwamp/cloudflare';
import { typedSession, CallError } from 'serverwamp/client';
import { upgradeWAMP } from 'serverwamp/hono';

if (typeof Application !== 'function' || typeof RPCRouteSet !== 'function' || typeof listen !== 'function' || typeof upgradeWAMP !== 'function') throw new Error('missing exports');
if (typeof serverwamp(new Application()) !== 'function') throw new Error('serverwamp/fastify gives no plugin');
if (createSerializers().size === 0) throw new Error('no serializers');
if (typeof WampDurableObject !== 'function' || typeof serveWorker !== 'function') throw new Error('missing serverwamp/cloudflare exports');
if (typeof typedSession !== 'function' || typeof CallError !== 'function') throw new Error('missing serverwamp/client exports');
console.log('esm ok');
