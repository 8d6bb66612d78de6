import { Application, RPCRouteSet } from 'serverwamp';
import { listen } from 'serverwamp/node';
import { createSerializers } from 'serverwamp/adapter';
import { WampDurableObject, serveWorker } from 'serverwamp/cloudflare';

if (typeof Application !== 'function' || typeof RPCRouteSet !== 'function' || typeof listen !== 'function') throw new Error('missing exports');
if (createSerializers().size === 0) throw new Error('no serializers');
if (typeof WampDurableObject !== 'function' || typeof serveWorker !== 'function') throw new Error('missing serverwamp/cloudflare exports');
console.log('esm ok');
