/**
 * A benchmark client process: the RPC load generator, a group of idle
 * sessions (footprint, fan-out), or a latency probe (cluster part). Driven
 * by the harness over IPC.
 * @module
 */
import { emit, serve } from './ipc.js';
import { runRPC, type RPCLoad } from './loadgen.js';
import { SessionGroup, type SessionsSpec } from './sessions.js';
import { ProbeSession, type ProbeSpec } from './cluster/probe-client.js';

let group: SessionGroup | undefined;
let probe: ProbeSession | undefined;

serve({
  rpc: (args) => runRPC(args['load'] as RPCLoad, () => emit('measuring')),
  open: async (args) => {
    group = new SessionGroup(args['spec'] as SessionsSpec);
    await group.open();
    return group.size;
  },
  subscribe: () => group!.subscribe(),
  received: (args) => group!.whenReceived(args['total'] as number),
  close: () => {
    group?.close();
    probe?.close();
  },
  probe: async (args) => {
    probe = new ProbeSession(args['spec'] as ProbeSpec);
    await probe.open();
  },
  probeSeries: () => probe!.take(),
});
