import { Application, RPCRouteSet } from 'serverwamp';
import { listen } from 'serverwamp/node';
import { createSerializers } from 'serverwamp/adapter';

if (typeof Application !== 'function' || typeof RPCRouteSet !== 'function' || typeof listen !== 'function') throw new Error('missing exports');
if (createSerializers().size === 0) throw new Error('no serializers');
console.log('esm ok');
