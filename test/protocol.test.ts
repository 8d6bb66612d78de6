/** The pure protocol layer: IDs, URIs, parsing and builders. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdCounter, MAX_ID, randomGlobalId, toId } from '../src/protocol/ids.js';
import { isValidURI, matchesWildcard, toMatchPolicy } from '../src/protocol/uri.js';
import { parseClientMessage, ProtocolViolation } from '../src/protocol/parse.js';
import { appendPayload, build } from '../src/protocol/build.js';
import { URIRouter } from '../src/routing/uri-router.js';

describe('IDs', () => {
  it('accepts integers, BigInts and integral floats in [1, 2^53]', () => {
    assert.equal(toId(1), 1);
    assert.equal(toId(MAX_ID), MAX_ID);
    assert.equal(toId(5000000001n), 5000000001);
    assert.equal(toId(7.0), 7);
    for (const bad of [0, -1, 1.5, MAX_ID + 2, '1', null, undefined, 2n ** 54n, NaN, Infinity]) {
      assert.equal(toId(bad), undefined, `${String(bad)} is not an ID`);
    }
  });

  it('draws random global IDs in [1, 2^53) without repeats in a large sample', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const id = randomGlobalId();
      assert.ok(Number.isSafeInteger(id) && id >= 1 && id < MAX_ID);
      seen.add(id);
    }
    assert.equal(seen.size, 20000);
  });

  it('counts router-scope IDs from 1', () => {
    const counter = new IdCounter();
    assert.deepEqual([counter.next(), counter.next(), counter.next()], [1, 2, 3]);
  });
});

describe('URIs', () => {
  it('checks the loose and strict rules', () => {
    assert.ok(isValidURI('com.myapp.topic1'));
    assert.ok(isValidURI('com.My-App.Topic1'));
    assert.ok(!isValidURI('com..topic'));
    assert.ok(!isValidURI('com.my app'));
    assert.ok(!isValidURI('com.#'));
    assert.ok(!isValidURI(''));
    assert.ok(isValidURI('com.myapp.topic_1', 'strict'));
    assert.ok(!isValidURI('com.MyApp', 'strict'));
    assert.ok(isValidURI('com..topic', 'loose', 'wildcard'));
    assert.ok(isValidURI('com.myapp.', 'loose', 'prefix'));
    assert.ok(!isValidURI('com..myapp', 'loose', 'prefix'));
  });

  it('matches wildcards component by component', () => {
    assert.ok(matchesWildcard('com.myapp..userevent'.split('.'), 'com.myapp.foo.userevent'));
    assert.ok(!matchesWildcard('com.myapp..userevent'.split('.'), 'com.myapp.foo.userevent.bar'));
    assert.ok(!matchesWildcard('com.myapp..userevent'.split('.'), 'com.myapp.userevent'));
  });

  it('parses match policies', () => {
    assert.equal(toMatchPolicy(undefined), 'exact');
    assert.equal(toMatchPolicy('prefix'), 'prefix');
    assert.equal(toMatchPolicy('regex'), undefined);
  });
});

describe('route resolution', () => {
  it('prefers exact, then the longest prefix, then the most specific wildcard', () => {
    const router = new URIRouter<string>();
    router.add('a.b.c', 'exact', 'exact');
    router.add('a.', 'prefix', 'short prefix');
    router.add('a.b.', 'prefix', 'long prefix');
    router.add('x..z', 'wildcard', 'loose wildcard');
    router.add('x.y.', 'wildcard', 'specific wildcard');
    assert.equal(router.resolve('a.b.c')?.value, 'exact');
    assert.equal(router.resolve('a.b.d')?.value, 'long prefix');
    assert.equal(router.resolve('a.q')?.value, 'short prefix');
    assert.equal(router.resolve('x.y.z')?.value, 'specific wildcard');
    assert.equal(router.resolve('x.q.z')?.value, 'loose wildcard');
    assert.equal(router.resolve('nothing'), undefined);
  });

  it('refuses a duplicate route', () => {
    const router = new URIRouter<string>();
    router.add('a', 'exact', '1');
    assert.throws(() => router.add('a', 'exact', '2'), { code: 'ERR_DUPLICATE_ROUTE' });
  });
});

describe('parsing client messages', () => {
  it('normalises absent payloads to shared empty values', () => {
    const call = parseClientMessage([48, 1, {}, 'a.b']);
    assert.deepEqual({ ...call }, { type: 48, requestId: 1, options: {}, procedure: 'a.b', args: [], kwargs: Object.create(null) });
    assert.ok(Object.isFrozen((call as { args: readonly unknown[] }).args));
  });

  it('parses every client message type', () => {
    const samples: unknown[][] = [
      [1, 'realm1', { roles: { caller: {} } }],
      [5, 'sig', {}],
      [3, {}, 'wamp.error.x'],
      [6, {}, 'wamp.close.normal'],
      [8, 68, 1, {}, 'x.y', [1], { a: 1 }],
      [16, 1, {}, 'topic', [1]],
      [32, 1, {}, 'topic'],
      [34, 1, 5],
      [48, 1, {}, 'proc', [], { a: 1 }],
      [49, 1, { mode: 'kill' }],
      [64, 1, {}, 'proc'],
      [66, 1, 5],
      [70, 1, {}, [1]],
    ];
    for (const sample of samples) assert.equal(parseClientMessage(sample).type, sample[0]);
  });

  it('names what is wrong', () => {
    assert.throws(() => parseClientMessage([32, 1, {}, 'topic', 'extra']), {
      name: 'ProtocolViolation',
      message: 'SUBSCRIBE must have 4 elements, got 5',
    });
    assert.throws(() => parseClientMessage([34, 1, 0]), ProtocolViolation);
    assert.throws(() => parseClientMessage([6, {}, 5]), /GOODBYE\.Reason must be a URI/);
    assert.throws(() => parseClientMessage([8, 'x', 1, {}, 'e']), /REQUEST\.Type must be an integer/);
    assert.throws(() => parseClientMessage([48, 1, new Uint8Array(2), 'p']), /CALL\.Options must be a dict/);
  });
});

describe('building server messages', () => {
  it('omits empty payloads and sends [] before kwargs', () => {
    assert.deepEqual(build.result(1, {}), [50, 1, {}]);
    assert.deepEqual(build.result(1, {}, []), [50, 1, {}]);
    assert.deepEqual(build.result(1, {}, [1]), [50, 1, {}, [1]]);
    assert.deepEqual(build.result(1, {}, undefined, { a: 1 }), [50, 1, {}, [], { a: 1 }]);
    assert.deepEqual(build.result(1, {}, [1], {}), [50, 1, {}, [1]]);
    assert.deepEqual(appendPayload([36, 1, 2, {}], [], {}), [36, 1, 2, {}]);
    assert.deepEqual(build.error(48, 3, 'x.y'), [8, 48, 3, {}, 'x.y']);
    assert.deepEqual(build.abort('wamp.error.x', { message: 'm' }), [3, { message: 'm' }, 'wamp.error.x']);
  });
});
