/**
 * Interop with Autobahn|Python (Debian's python3-autobahn), the reference WAMP
 * implementation: over WebSocket with every serializer it speaks, including
 * the batched ones and its default offer (cbor.batched first), and over
 * RawSocket (rs://) with JSON, MessagePack and CBOR.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createDemoApp } from '../examples/demo.js';
import { serve, serveRawSocket, type Served } from './helpers/server.js';
import { commandWorks, requireComponent } from './helpers/system.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python/autobahn_client.py', import.meta.url));
const available = commandWorks(PYTHON, ['-c', 'import autobahn, msgpack, cbor2']);

function runClient(url: string, serializer: string): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, url, 'realm1', serializer], { timeout: 30_000 }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT: '));
      if (line === undefined) reject(new Error(`no result from Autobahn|Python (${String(error)}): ${stderr}`));
      else resolve(JSON.parse(line.slice('RESULT: '.length)) as Record<string, any>);
    });
  });
}

function assertDemoSeen(seen: Record<string, any>, protocol: string): void {
  assert.equal(seen['exception'], undefined, seen['exception']);
  assert.equal(seen['protocol'], protocol);
  assert.equal(seen['session_is_int'], true, 'session ids arrive as integers, not floats');
  assert.equal(seen['add'], 5);
  assert.equal(seen['add_kw'], 42);
  assert.deepEqual(seen['zodiac'], { gregorianYear: 2020, 生肖: '鼠' });
  assert.deepEqual(seen['playlist'], {
    args: ['Rock & Roll', 'Blues', 'Jazz'],
    kwargs: { playlistLength: 6432, playlistSubscribers: 51 },
  });
  assert.deepEqual(seen['error'], {
    uri: 'wamp.error.runtime_error',
    kwargs: { errorCode: 'BAD_INPUT', errorMessage: 'You should have supplied a number instead of a string.' },
  });
  assert.equal(seen['no_such_procedure'], 'wamp.error.no_such_procedure');
  assert.deepEqual(seen['progress'], [3, 2, 1]);
  assert.deepEqual(seen['liftoff'], { liftoffStatus: 'SUCCESS' });
  assert.equal(seen['whoami_session_matches'], true);
  // Events: ids arrive as integers, the concrete topic is in the details, and the event precedes the RESULT.
  assert.equal(seen['subscription_is_int'], true);
  assert.deepEqual(seen['update'], { status: 'SUCCESS' });
  assert.deepEqual(seen['order'], ['event', 'result']);
  assert.equal(seen['events'].length, 1);
  assert.equal(seen['events'][0].topic, 'docs.changes.readme');
  assert.equal(seen['events'][0].publication_is_int, true);
  assert.deepEqual(seen['events'][0].args, ['readme']);
  assert.equal(seen['events'][0].kwargs.change, 'updated');
  assert.equal(seen['published_is_int'], true);
}

const INSTALL = 'apt-get install python3-autobahn python3-msgpack python3-cbor2';

describe('Autobahn|Python', () => {
  let served: Served;
  before(async () => {
    served = await serve(createDemoApp({ countdownInterval: 0.01 }), undefined);
  });
  after(() => served.close());

  for (const serializer of ['json', 'msgpack', 'cbor', 'json.batched', 'msgpack.batched', 'cbor.batched', 'default']) {
    it(`calls the demo over ${serializer}`, async (t) => {
      if (!requireComponent(t, available, 'Autobahn|Python', INSTALL)) return;
      assertDemoSeen(await runClient(served.url, serializer), serializer === 'default' ? 'cbor.batched' : serializer);
    });
  }
});

describe('Autobahn|Python over RawSocket', () => {
  let served: Served;
  before(async () => {
    served = await serveRawSocket(createDemoApp({ countdownInterval: 0.01 }), undefined);
  });
  after(() => served.close());

  for (const serializer of ['json', 'msgpack', 'cbor']) {
    it(`calls and subscribes to the demo over rs:// with ${serializer}`, async (t) => {
      if (!requireComponent(t, available, 'Autobahn|Python', INSTALL)) return;
      assertDemoSeen(await runClient(served.url, serializer), serializer);
    });
  }
});
