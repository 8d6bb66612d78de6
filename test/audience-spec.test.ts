/**
 * Publication audiences are data (issue 10): what a client PUBLISH or a
 * server publication restricts survives JSON and msgpack unchanged, and the
 * decoded spec admits exactly the sessions the original does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Packr, Unpackr } from 'msgpackr';
import { audienceKey, clientAudience, compileAudience, InvalidRecipientList, serverAudience, type AudienceSpec } from '../src/events/audience.js';
import type { Session } from '../src/index.js';

const session = (id: number, authid: string, authrole: string): Session => ({ id, authid, authrole }) as unknown as Session;
const publisher = session(1, 'alice', 'user');
const others = [publisher, session(2, 'bob', 'user'), session(3, 'carol', 'admin'), session(2 ** 53 - 1, 'dave', 'guest'), session(5, 'erin', 'admin')];

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, int64AsType: 'number' });
const viaJSON = (spec: AudienceSpec | undefined): AudienceSpec | undefined => (spec === undefined ? undefined : JSON.parse(JSON.stringify(spec)));
const viaMsgpack = (spec: AudienceSpec | undefined): AudienceSpec | undefined => (spec === undefined ? undefined : unpackr.unpack(packr.pack(spec)));

function admitted(spec: AudienceSpec | undefined): number[] {
  const admits = compileAudience(spec);
  return others.filter((s) => admits === undefined || admits(s)).map((s) => s.id);
}

const CLIENT_OPTIONS: Array<[string, Record<string, unknown>, number[]]> = [
  ['no lists: everyone but the publisher', {}, [2, 3, 2 ** 53 - 1, 5]],
  ['exclude_me: false and no lists: everyone', { exclude_me: false }, [1, 2, 3, 2 ** 53 - 1, 5]],
  ['eligible by session id, BigInt from msgpack included', { eligible: [3n, 2 ** 53 - 1] }, [3, 2 ** 53 - 1]],
  ['exclude by session id', { exclude: [2], exclude_me: false }, [1, 3, 2 ** 53 - 1, 5]],
  ['eligible_authid, a lone string as wampy sends it', { eligible_authid: 'bob' }, [2]],
  ['eligible_authrole', { eligible_authrole: ['admin'] }, [3, 5]],
  ['exclude_authid and exclude_authrole', { exclude_authid: ['carol'], exclude_authrole: ['guest'] }, [2, 5]],
  ['every list at once', { eligible_authrole: ['admin', 'user'], exclude_authid: ['erin'], eligible: [1, 2, 3, 5], exclude_me: false }, [1, 2, 3]],
];

describe('AudienceSpec', () => {
  for (const [name, options, expected] of CLIENT_OPTIONS) {
    it(`client PUBLISH, ${name}: the same audience after JSON and msgpack`, () => {
      const spec = clientAudience(options, publisher);
      assert.deepEqual(admitted(spec), expected);
      for (const roundTrip of [viaJSON, viaMsgpack]) {
        const decoded = roundTrip(spec);
        assert.deepEqual(decoded, spec);
        assert.deepEqual(admitted(decoded), expected);
        assert.equal(audienceKey(decoded), audienceKey(spec));
      }
    });
  }

  it('server publications: eligible and exclude by session or id become ids', () => {
    const spec = serverAudience({ eligible: [publisher, 3, others[3]!], exclude: [3] });
    assert.deepEqual(spec, { eligible: [1, 3, 2 ** 53 - 1], exclude: [3] });
    assert.deepEqual(admitted(viaMsgpack(spec)), [1, 2 ** 53 - 1]);
    assert.equal(serverAudience({}), undefined, 'no restriction: no spec, and no check at delivery');
    assert.equal(compileAudience(undefined), undefined);
  });

  it('equal audiences have equal keys whatever their order and origin', () => {
    const server = serverAudience({ eligible: [5, 3, 3] });
    const client = clientAudience({ eligible: [3, 5], exclude_me: false }, publisher);
    assert.equal(audienceKey(server), audienceKey(client));
    assert.notEqual(audienceKey(server), audienceKey(serverAudience({ eligible: [3] })));
    assert.equal(audienceKey(undefined), undefined);
  });

  it('a malformed list is refused, never ignored (which would widen the audience)', () => {
    for (const options of [{ eligible: ['x'] }, { exclude: [0] }, { eligible_authid: [1] }, { exclude_authrole: [{}] }]) {
      assert.throws(() => clientAudience(options, publisher), InvalidRecipientList);
    }
  });
});
