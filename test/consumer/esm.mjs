import { Application, RPCRouteSet } from 'serverwamp';
import { listen } from 'serverwamp/node';
import { createSerializers } from 'serverwamp/adapter';
import { typedSession, CallError } from 'serverwamp/client';

if (typeof Application !== 'function' || typeof RPCRouteSet !== 'function' || typeof listen !== 'function') throw new Error('missing exports');
if (createSerializers().size === 0) throw new Error('no serializers');
if (typeof typedSession !== 'function' || typeof CallError !== 'function') throw new Error('missing serverwamp/client exports');
console.log('esm ok');
