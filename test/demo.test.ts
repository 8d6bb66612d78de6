/** The demo that `npm start` runs answers real clients as the README says. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { connectAutobahn, connectWampy } from './helpers/clients.js';

describe('the demo (npm start)', () => {
  let child: ChildProcess;
  let url: string;

  before(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', COUNTDOWN_INTERVAL: '0.01' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`the demo did not start: ${output}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /WAMP at (ws:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`the demo exited with ${code}: ${output}`)));
    });
  });

  after(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('prints its address and serves the examples of the Python serverwamp docs to autobahn-js', async () => {
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const client = await connectAutobahn(url, { realm: 'realm1' });
    const { session } = client;
    assert.equal(await session.call('math.add', [2, 3]), 5);
    const zodiac = await session.call('calendar.zodiac');
    assert.deepEqual(zodiac.kwargs, { gregorianYear: 2020, 生肖: '鼠' });
    const playlist = await session.call('music.playlist');
    assert.deepEqual(playlist.args, ['Rock & Roll', 'Blues', 'Jazz']);
    assert.deepEqual(playlist.kwargs, { playlistLength: 6432, playlistSubscribers: 51 });
    await assert.rejects(session.call('math.sqrt', ['nine']), (error: any) => {
      assert.equal(error.kwargs.errorCode, 'BAD_INPUT');
      return true;
    });
    await client.close();
  });

  it('runs the procedure examples of the Python serverwamp docs: marshalling, Decimal, local files, progress', async () => {
    const { session, close } = await connectAutobahn(url);
    const counted: string[] = [];
    const total = await session
      .call('slowly_count', ['3', '0'], {}, { receive_progress: true })
      .then(null, null, (line: string) => counted.push(line));
    assert.equal(total, 3);
    assert.deepEqual(counted, ['0, ah ah ah!', '1, ah ah ah!', '2, ah ah ah!']);
    const stored = await session.call('store_timestamp', ['1605109233.123456789012345']);
    assert.equal(stored.kwargs.stored, '1605109233.123456789012345', 'every digit kept');
    await assert.rejects(session.call('store_timestamp', ['soon']), (e: any) => e.error === 'wamp.error.invalid_argument');
    assert.match(await session.call('local_file', ['hello.txt']), /Hello from a local file/);
    await assert.rejects(session.call('local_file', ['../package.json']), (e: any) => e.error === 'wamp.error.invalid_argument');
    const steps: number[] = [];
    const liftoff = await session
      .call('countdown_to_liftoff', [], {}, { receive_progress: true })
      .then(null, null, (update: any) => steps.push(update.kwargs.timeLeft));
    assert.deepEqual(steps, [3, 2, 1]);
    assert.deepEqual(liftoff.kwargs, { liftoffStatus: 'SUCCESS' });
    await close();
  });

  it('serves wampy over msgpack too', async () => {
    const wampy = await connectWampy(url, { serializer: 'msgpack' });
    const result = await wampy.call('math.add', [40, 2]);
    assert.deepEqual(result.argsList, [42]);
    await wampy.disconnect();
  });
});
