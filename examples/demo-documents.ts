/**
 * Where the demo keeps its documents: in memory for one process, or in a
 * Redis hash when the demo runs as a cluster, so that every node reads the
 * document a change event announced, not its own stale copy.
 */

export interface DemoDocument {
  title: string;
  body: string;
}

export interface DocumentStore {
  get(id: string): Promise<DemoDocument | undefined>;
  /** Replaces the body of an existing document; false if there is none. */
  update(id: string, body: string): Promise<boolean>;
  /** false if there was no such document. */
  delete(id: string): Promise<boolean>;
}

const SEED: ReadonlyArray<[string, DemoDocument]> = [
  ['readme', { title: 'README', body: 'Serve WAMP from Node.js.' }],
  ['todo', { title: 'To do', body: 'Write more docs.' }],
];

export function memoryDocuments(): DocumentStore {
  const documents = new Map(SEED.map(([id, document]) => [id, { ...document }]));
  return {
    get: async (id) => documents.get(id),
    async update(id, body) {
      const document = documents.get(id);
      if (document === undefined) return false;
      document.body = body;
      return true;
    },
    delete: async (id) => documents.delete(id),
  };
}

/** The few node-redis hash commands the store needs. */
export interface RedisHashClient {
  hGet(key: string, field: string): Promise<string | null | undefined>;
  hSetNX(key: string, field: string, value: string): Promise<unknown>;
  hDel(key: string, field: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// Read-modify-write in one step: two nodes updating one document must not resurrect a deleted one.
const UPDATE_BODY = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
local document = cjson.decode(current)
document.body = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(document))
return 1`;

function parse(value: string | null | undefined): DemoDocument | undefined {
  if (value === null || value === undefined) return undefined;
  const { title, body } = JSON.parse(value) as Partial<DemoDocument>;
  return { title: String(title), body: String(body) };
}

/** Documents in the hash `key`, seeded with the demo's two unless they are there already. */
export async function redisDocuments(client: RedisHashClient, key = 'serverwamp-demo:documents'): Promise<DocumentStore> {
  for (const [id, document] of SEED) await client.hSetNX(key, id, JSON.stringify(document));
  return {
    get: async (id) => parse(await client.hGet(key, id)),
    update: async (id, body) => (await client.eval(UPDATE_BODY, { keys: [key], arguments: [id, body] })) === 1,
    delete: async (id) => (await client.hDel(key, id)) === 1,
  };
}
