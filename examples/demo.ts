/**
 * The demo: the seed's examples served at ws://localhost:8080/ws, realm `realm1`.
 * Run with `npm start`; PORT and HOST override the address.
 */
import { fileURLToPath } from 'node:url';
import { Application, RPCErrorResult, RPCResult, RPCRouteSet } from '../src/index.js';
import { procedures, type DemoContext } from './procedures.js';

export function createDemoApp(options: { countdownInterval?: number } = {}): Application<DemoContext> {
  const app = new Application<DemoContext>({
    context: {
      timestamps: [],
      filesDirectory: fileURLToPath(new URL('./files/', import.meta.url)),
      countdownInterval: options.countdownInterval ?? Number(process.env['COUNTDOWN_INTERVAL'] ?? 1),
    },
  });

  const mathApi = new RPCRouteSet<DemoContext>();

  // The seed's add_numbers(number1, number2).
  mathApi.route('math.add', { params: ['number1', 'number2'] }, ({ number1, number2 }) => {
    // This procedure has a single return argument.
    return Number(number1) + Number(number2);
  });

  // Positional return arguments.
  mathApi.route('sandwich.ingredients', () => ['Peanut Butter', 'Jelly', 'Bread']);

  // Keyword return arguments.
  mathApi.route('calendar.zodiac', () => ({ gregorianYear: 2020, 生肖: '鼠' }));

  // Any combination of positional and keyword arguments.
  mathApi.route('music.playlist', () =>
    new RPCResult({
      args: ['Rock & Roll', 'Blues', 'Jazz'],
      kwargs: { playlistLength: 6432, playlistSubscribers: 51 },
    }),
  );

  // An error result with keyword arguments.
  mathApi.route('math.sqrt', { params: ['number'] }, ({ number }) => {
    if (typeof number !== 'number') {
      return new RPCErrorResult({
        kwargs: {
          errorCode: 'BAD_INPUT',
          errorMessage: 'You should have supplied a number instead of a string.',
        },
      });
    }
    return Math.sqrt(number);
  });

  app.addRPCRoutes(mathApi, procedures);
  return app;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('demo.ts');
if (isMain) {
  const app = createDemoApp();
  const port = Number(process.env['PORT'] ?? 8080);
  const host = process.env['HOST'] ?? 'localhost';
  const listening = await app.listen({ port, host, path: '/ws' });
  const { close } = listening;
  console.log(`serverwamp demo: WAMP at ws://${host}:${listening.port}/ws (realm "realm1"); Ctrl+C to stop`);
  const stop = (): void => {
    void close().then(() => app.close()).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
