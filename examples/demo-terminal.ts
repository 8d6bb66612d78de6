/**
 * What the demo prints while it runs: one line when a session joins or
 * leaves, and one per error (a failed call, or a warning or error from the
 * application's logger), never one per call. Clients choose what ends up in
 * these lines (names, procedure URIs, arguments echoed in error messages), so
 * each line is stripped of control characters and cut short, and a flood is
 * summed up instead of printed line by line.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import { TracingChannel, WampError, WampURI, type Application, type CallTraceContext, type LogFn, type Logger } from '../src/index.js';

/** Lines printed per second at most; the rest are counted and reported as one line. */
const LINES_PER_SECOND = 20;
const MAX_LINE = 200;

export type Print = (line: string) => void;

/** One printable line: no control characters (no escape sequences from clients), at most MAX_LINE characters. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return flat.length > MAX_LINE ? `${flat.slice(0, MAX_LINE - 1)}…` : flat;
}

/** `print`, at most LINES_PER_SECOND lines a second; what is held back is counted in one line later. */
export function throttled(print: Print, now: () => number = Date.now): Print {
  let windowStart = 0;
  let printed = 0;
  let held = 0;
  return (line) => {
    const time = now();
    if (time - windowStart >= 1000) {
      if (held > 0) print(`… ${held} more line${held === 1 ? '' : 's'} not shown (more than ${LINES_PER_SECOND} a second)`);
      windowStart = time;
      printed = 0;
      held = 0;
    }
    if (printed < LINES_PER_SECOND) {
      printed++;
      print(printable(line));
    } else {
      held++;
    }
  };
}

function logLine(print: Print, level: string): LogFn {
  return (first: string | object, msg?: string) => {
    if (typeof first === 'string') return print(`! ${level}: ${first}`);
    const err = (first as { err?: unknown }).err;
    const cause = err instanceof Error ? `: ${err.message}` : '';
    print(`! ${level}: ${msg ?? 'unnamed'}${cause}`);
  };
}

/** A logger for the application: warnings and errors as one line each (no stack), nothing below. */
export function terminalLogger(print: Print): Logger {
  const quiet: LogFn = () => {};
  const logger: Logger = { debug: quiet, info: quiet, warn: logLine(print, 'warning'), error: logLine(print, 'error'), child: () => logger };
  return logger;
}

/** What the caller was told (a WampError's first argument), or what was thrown. */
function describeError(error: unknown): string {
  if (error instanceof WampError) return typeof error.args?.[0] === 'string' ? error.args[0] : '';
  return error instanceof Error ? error.message : '';
}

/**
 * Prints a line for each session that joins or leaves `app`, and for each call
 * that fails (a CANCEL is not an error: nothing is printed for it).
 */
export function printSessionsAndErrors<Context>(app: Application<Context>, print: Print): void {
  app.addSessionStateHandler(
    async function* (session) {
      const joined = Date.now();
      const who = session.authid ?? 'anonymous';
      print(`+ ${who} joined (session ${session.id}, ${session.transportInfo.peerAddress})`);
      yield;
      print(`- ${who} left after ${Math.round((Date.now() - joined) / 1000)} s (session ${session.id})`);
    },
    { authenticatedOnly: false },
  );
  // The `error` event of the call tracing channel (docs/tracing.md): one per failed call, whatever failed it.
  const channel = `tracing:${TracingChannel.CALL}:error`;
  const failed = (message: unknown): void => {
    const context = message as CallTraceContext;
    // The channel is global: another application in this process is not ours to report.
    if (context.errorURI === WampURI.CANCELED || app.getSession(context.sessionId) !== context.session) return;
    const detail = describeError(context.error);
    print(`! ${context.session.authid ?? 'anonymous'} called ${context.procedure}: ${context.errorURI ?? 'failed'}${detail === '' ? '' : ` (${detail})`}`);
  };
  diagnostics_channel.subscribe(channel, failed);
  app.addClosable({ close: async () => void diagnostics_channel.unsubscribe(channel, failed) });
}
