/**
 * The layer rules of eslint.config.js fire: an upward import in a file of a
 * lower layer fails the lint (`npm test` runs `npm run lint`), while the
 * imports each layer is allowed pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restrictions(filePath: string, code: string, rule = 'no-restricted-imports'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === rule).map((message) => message.message);
}

describe('import boundaries', () => {
  it('src/protocol may not import from the layers above it, nor Node', async () => {
    assert.match((await restrictions('src/protocol/probe.ts', "export { Realm } from '../realm.js';\n"))[0] ?? '', /src\/protocol may import only/);
    assert.match((await restrictions('src/protocol/probe.ts', "import { a } from '../rpc/dealer.js';\nexport const b = a;\n"))[0] ?? '', /src\/protocol may import only/);
    assert.match((await restrictions('src/protocol/probe.ts', "export { readFileSync } from 'node:fs';\n"))[0] ?? '', /Only src\/node/);
    assert.deepEqual(await restrictions('src/protocol/probe.ts', "export { isValidURI } from './uri.js';\n"), []);
  });

  it('src/serializers may import protocol and leaf utilities only', async () => {
    assert.deepEqual(await restrictions('src/serializers/probe.ts', "export { build } from '../protocol/build.js';\nexport { ServerwampError } from '../errors.js';\n"), []);
    assert.match((await restrictions('src/serializers/probe.ts', "export type { Session } from '../session.js';\n"))[0] ?? '', /src\/serializers may import only/);
  });

  it('src/routing may import protocol only', async () => {
    assert.match((await restrictions('src/routing/probe.ts', "export { Procedure } from '../rpc/procedure.js';\n"))[0] ?? '', /src\/routing may import only/);
  });

  it('only src/node may import any Node built-in (node:crypto included)', async () => {
    for (const name of ['node:crypto', 'node:util', 'node:fs', 'node:events']) {
      for (const probe of ['src/auth/probe.ts', 'src/probe.ts', 'src/serializers/probe.ts']) {
        assert.match((await restrictions(probe, `export * from '${name}';\n`))[0] ?? '', /Only src\/node/, `${name} in ${probe}`);
      }
      assert.deepEqual(await restrictions('src/node/probe.ts', `export * from '${name}';\n`), [], name);
    }
  });

  it('only src/node may use the Node globals Buffer and process', async () => {
    for (const code of ["export const a = Buffer.from('x');\n", 'export const b = process.env;\n', 'setImmediate(() => {});\n']) {
      assert.match((await restrictions('src/auth/probe.ts', code, 'no-restricted-globals'))[0] ?? '', /Only src\/node/, code);
      assert.deepEqual(await restrictions('src/node/probe.ts', code, 'no-restricted-globals'), [], code);
    }
    assert.deepEqual(await restrictions('src/auth/probe.ts', 'export const c = new TextEncoder().encode(globalThis.crypto.randomUUID());\n', 'no-restricted-globals'), []);
  });

  it('only src/node may import ws or Node networking', async () => {
    for (const name of ['ws', 'node:http', 'node:https', 'node:net', 'node:tls']) {
      assert.match((await restrictions('src/rpc/probe.ts', `export * from '${name}';\n`))[0] ?? '', /Only src\/node/, name);
      assert.match((await restrictions('src/application.ts', `export * from '${name}';\n`))[0] ?? '', /Only src\/node/, name);
      assert.deepEqual(await restrictions('src/node/probe.ts', `export * from '${name}';\n`), [], name);
    }
  });
});
