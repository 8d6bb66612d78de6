/**
 * State that must belong to one Application, not to the process (issue 10):
 * two applications in a process behave as two processes would. Registration
 * ids are numbered per application, and the session registry is the
 * application's directory, which `app.getSession` and `app.sessions` read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, MemorySessionDirectory, type Session } from '../src/index.js';
import { RawClient } from './helpers/raw-client.js';
import { serve } from './helpers/server.js';

const REGISTER = 64;
const REGISTERED = 65;

async function register(client: RawClient, requestId: number, procedure: string): Promise<number> {
  client.send([REGISTER, requestId, {}, procedure]);
  const reply = await client.next();
  assert.equal(reply[0], REGISTERED);
  return reply[2] as number;
}

describe('application scope', () => {
  it('numbers registrations per application: another application in the process starts from 1 too', async (t) => {
    const ids: number[][] = [];
    for (const app of [new Application(), new Application()]) {
      const { url } = await serve(app, t);
      const client = await RawClient.connect(url);
      t.after(() => client.close());
      await client.hello('realm1');
      ids.push([await register(client, 1, 'com.example.one'), await register(client, 2, 'com.example.two')]);
    }
    assert.deepEqual(ids, [[1, 2], [1, 2]]);
  });

  it('keeps its sessions in the directory it is given; getSession and sessions read it', async (t) => {
    const directory = new MemorySessionDirectory();
    const added: number[] = [];
    const removed: number[] = [];
    const watched = Object.assign(directory, {
      add: (session: Session) => void (added.push(session.id), MemorySessionDirectory.prototype.add.call(directory, session)),
      delete: (session: Session) => (removed.push(session.id), MemorySessionDirectory.prototype.delete.call(directory, session)),
    });
    const app = new Application({ sessionDirectory: watched });
    const { url } = await serve(app, t);
    const client = await RawClient.connect(url);
    const [, sessionId] = await client.hello('realm1');
    assert.deepEqual(added, [sessionId]);
    assert.equal(app.getSession(sessionId)?.id, sessionId);
    assert.deepEqual([...app.sessions].map((s) => s.id), [sessionId]);
    assert.deepEqual(directory.query({ authroles: ['anonymous'] }).map((s) => s.id), [sessionId]);
    client.close();
    for (let i = 0; i < 100 && removed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(removed, [sessionId]);
    assert.equal(app.getSession(sessionId), undefined);
    assert.equal(directory.size, 0);
  });
});
