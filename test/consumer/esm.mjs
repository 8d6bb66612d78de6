import { Application, RPCRouteSet } from 'serverwamp';
import { listen } from 'serverwamp/node';
import { createSerializers } from 'serverwamp/adapter';
import { upgradeWAMP } from 'serverwamp/hono';

if (typeof Application !== 'function' || typeof RPCRouteSet !== 'function' || typeof listen !== 'function' || typeof upgradeWAMP !== 'function') throw new Error('missing exports');
if (createSerializers().size === 0) throw new Error('no serializers');
console.log('esm ok');
