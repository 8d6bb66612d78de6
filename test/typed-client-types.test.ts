/**
 * Type-level checks of the typed client and the typed server views, compiled
 * by `tsc --noEmit` (npm run typecheck): each `expectType` must hold, and each
 * `@ts-expect-error` line must NOT compile (tsc fails if it does).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import ts from 'typescript';
import { z } from 'zod';
import { Application, RPCRouteSet, TopicRouteSet, typedCaller, type InferAPI, type Session } from '../src/index.js';
import { typedSession, type TypedSession } from '../src/client/index.js';
import type { TypedAPI, TypedClientAPI } from './fixtures/typed-api.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_T extends true>(): void {}

declare const api: TypedSession<TypedAPI, TypedClientAPI>;
declare const session: Session;

async function calls(): Promise<void> {
  // By name and by position; the result is the procedure's return.
  const _sum = await api.call('math.add', { number1: 2, number2: 3 });
  expectType<Equal<typeof _sum, number>>();
  expectType<Equal<Awaited<ReturnType<typeof api.call<'math.add'>>>, number>>();
  await api.call('math.add', [2, 3]);
  // A defaulted parameter may be left out; so may one with a `default` option.
  expectType<Equal<Awaited<ReturnType<typeof api.call<'math.scale'>>>, number>>();
  await api.call('math.scale', { value: 2 });
  const _greeting = await api.call('greet', { name: 'Ada' });
  expectType<Equal<typeof _greeting, string>>();
  // void and null both arrive as null; an object as itself; a Map as a record.
  expectType<Equal<Awaited<ReturnType<typeof api.call<'nothing'>>>, null>>();
  expectType<Equal<Awaited<ReturnType<typeof api.call<'nullish'>>>, null>>();
  const _user = await api.call('user.get', { id: 7 });
  expectType<Equal<typeof _user, { id: string; name: string }>>();
  expectType<Equal<Awaited<ReturnType<typeof api.call<'flags.get'>>>, Readonly<Record<string, boolean>> | null>>();
  // Lists and RPCResults go through callResult, whatever their length.
  const { args: _items } = await api.callResult('list.of', { count: 1 });
  expectType<Equal<typeof _items, string[]>>();
  const _pair = await api.callResult('pair.get');
  expectType<Equal<typeof _pair.args, [number, string]>>();
  const _both = await api.callResult('result.both');
  expectType<Equal<typeof _both.args, [number, string]>>();
  expectType<Equal<typeof _both.kwargs, { total: number }>>();
  // An RPCErrorResult is not a result: only the other branch is typed.
  const _fine = await api.call('fail', { code: 'ok' });
  expectType<Equal<typeof _fine, 'fine'>>(); // literal returns stay literal: that is what arrives
  // Progress reports are typed from the generator's RPCProgressReport payloads; its return is the result.
  const _done = await api.call('countdown', { from: 3 }, {
    onProgress: (_progress) => expectType<Equal<typeof _progress.kwargs, { left: number }>>(),
    signal: AbortSignal.timeout(1000),
    timeout: 500,
  });
  expectType<Equal<typeof _done, string>>();
  // A prefix route takes any URI under its prefix.
  const _path = await api.call('files.read.me');
  expectType<Equal<typeof _path, string>>();
}

async function misuse(): Promise<void> {
  // @ts-expect-error: no such procedure.
  await api.call('math.sub', { number1: 2, number2: 3 });
  // @ts-expect-error: number1 is a number.
  await api.call('math.add', { number1: '2', number2: 3 });
  // @ts-expect-error: number2 is required.
  await api.call('math.add', { number1: 2 });
  // @ts-expect-error: no such parameter.
  await api.call('math.add', { number1: 2, number2: 3, number3: 4 });
  // @ts-expect-error: a list-returning procedure has no single-value form.
  await api.call('list.of', { count: 1 });
  // @ts-expect-error: neither has an RPCResult.
  await api.call('result.both');
  const sum = await api.call('math.add', [1, 2]);
  // @ts-expect-error: the result is a number.
  sum.toUpperCase();
  // @ts-expect-error: math.add sends no progress.
  await api.call('math.add', [1, 2], { onProgress: () => undefined });
  await api.call('countdown', { from: 1 }, {
    // @ts-expect-error: its progress is keyword arguments `left`.
    onProgress: (progress: { kwargs: { right: number } }) => progress,
  });
}

async function topics(): Promise<void> {
  const stop = await api.subscribe('chat.room', (_message) => {
    expectType<Equal<typeof _message, { from: string; text: string }>>();
  });
  await stop();
  await api.subscribe('ticker.ACME', (_tick) => expectType<Equal<typeof _tick, { price: number }>>());
  await api.publish('chat.room', { from: 'ada', text: 'hi' });
  // @ts-expect-error: no such topic.
  await api.subscribe('chat.rooms', () => undefined);
  // @ts-expect-error: the event has `text`, not `body`.
  await api.publish('chat.room', { from: 'ada', body: 'hi' });
}

async function clientProcedures(): Promise<void> {
  await api.register('ui.confirm', (_question) => {
    expectType<Equal<typeof _question, string>>();
    return true;
  });
  await api.register('ui.notify', async () => undefined);
  // @ts-expect-error: ui.confirm answers a boolean.
  await api.register('ui.confirm', () => 'yes');
  // @ts-expect-error: not a declared client procedure.
  await api.register('ui.other', () => true);

  // The server's side: session.call typed from the client's declaration.
  const client = typedCaller<TypedClientAPI, TypedAPI>(session);
  const { args: _args } = await client.call('ui.confirm', { args: ['Sure?'], timeout: 1000 });
  expectType<Equal<typeof _args, readonly [boolean]>>();
  expectType<Equal<Awaited<ReturnType<typeof client.call<'ui.notify'>>>['args'], readonly [null]>>();
  await client.call('ui.notify', { args: ['saved'] });
  // @ts-expect-error: ui.confirm takes a string.
  await client.call('ui.confirm', { args: [42] });
  // @ts-expect-error: its arguments are required.
  await client.call('ui.confirm');
  // @ts-expect-error: no such client procedure.
  await client.call('ui.prompt', { args: [] });
  client.sendEvent('chat.room', { kwargs: { from: 'server', text: 'hello' } });
  // @ts-expect-error: the event has `text`.
  client.sendEvent('chat.room', { kwargs: { from: 'server' } });
}

function serverPublish(app: Application<unknown, TypedAPI>, untyped: Application): void {
  app.publish('chat.room', { kwargs: { from: 'server', text: 'hi' }, retain: true });
  app.publish('ticker.ACME', { kwargs: { price: 3 } });
  // Topics the API does not type stay as they were.
  app.publish('hourly.updates', { args: ['noon'] });
  untyped.publish('chat.room', { args: ['anything'] });
  // @ts-expect-error: a typed topic's event is its keyword arguments.
  app.publish('chat.room', { args: ['hi'] });
  // @ts-expect-error: price is a number.
  app.publish('ticker.ACME', { kwargs: { price: '3' } });
}

// @ts-expect-error: an event is the EVENT's keyword arguments: an object.
new TopicRouteSet().route('chat.count', { event: z.number() });

// Route sets built statement by statement still work; they record nothing (InferAPI of them is empty).
const statements = new RPCRouteSet();
statements.route('a', () => 1);
expectType<Equal<keyof InferAPI<typeof statements>['procedures'], never>>();
// Several sets combine; wildcard routes become template literal types.
const _more = new RPCRouteSet().wildcardRoute('users..profile', { params: { full: z.boolean().optional() } }, () => ({ name: 'Ada' }));
async function patterns(combined: TypedSession<InferAPI<[typeof _more, typeof statements], TopicRouteSet>>): Promise<void> {
  await combined.call('users.42.profile');
  await combined.call('users.42.profile', { full: true });
  // @ts-expect-error: not under the pattern.
  await combined.call('users.42.avatar');
}

it('compiles (the checks are the type checker\'s)', () => {
  assert.equal(typeof typedSession, 'function');
  void [calls, misuse, topics, clientProcedures, serverPublish, patterns];
});

/** The compiler's messages for `code`, compiled as if it were a file in test/ (it is never written). */
function compilerMessages(code: string): string[] {
  const root = new URL('..', import.meta.url).pathname;
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const file = join(root, 'test', 'compiler-message.virtual.ts');
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, code, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

it('tells a caller of a list-returning procedure to use callResult, in the compiler message itself', () => {
  const messages = compilerMessages(
    [
      "import type { TypedSession } from '../src/client/index.js';",
      "import type { TypedAPI, TypedClientAPI } from './fixtures/typed-api.js';",
      'declare const api: TypedSession<TypedAPI, TypedClientAPI>;',
      "void api.call('list.of', { count: 1 });",
      "void api.callResult('list.of', { count: 1 });",
    ].join('\n'),
  );
  assert.equal(messages.length, 1, messages.join('\n'));
  assert.match(messages[0]!, /call it with callResult/);
});
