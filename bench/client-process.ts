/**
 * A benchmark client process: the RPC load generator, or a group of idle
 * sessions (footprint, fan-out). Driven by the harness over IPC.
 * @module
 */
import { emit, serve } from './ipc.js';
import { runRPC, type RPCLoad } from './loadgen.js';
import { SessionGroup, type SessionsSpec } from './sessions.js';

let group: SessionGroup | undefined;

serve({
  rpc: (args) => runRPC(args['load'] as RPCLoad, () => emit('measuring')),
  open: async (args) => {
    group = new SessionGroup(args['spec'] as SessionsSpec);
    await group.open();
    return group.size;
  },
  subscribe: () => group!.subscribe(),
  received: (args) => group!.whenReceived(args['total'] as number),
  close: () => group?.close(),
});
