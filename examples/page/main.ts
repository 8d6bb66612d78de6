/**
 * The demo page: live figures pushed by the server, a call and its errors,
 * a countdown with progress and cancel, chat with names and who is online,
 * and the WAMP messages going by. Every WAMP operation goes through wamp.ts:
 * the typed session (`session.api`, checked against the server's routes) or,
 * where the facade cannot say it, the raw one (`session.raw`).
 */
import { appendBounded, byId, numberOrText, show } from './dom.js';
import { Presence } from './presence.js';
import { CallError, connect, type DemoSession } from './wamp.js';
import { recordWebSocketFrames, WireReader, type WireMessage } from './wire-log.js';

const NAME_KEY = 'serverwamp-demo-name';
const WIRE_MAX = 60;
const CHAT_MAX = 100;

let current: DemoSession | undefined;
/** Buttons usable only with an open session; each is also disabled while its own action runs. */
const actions = [...document.querySelectorAll<HTMLButtonElement>('button[data-needs-session]')];
const running = new Set<HTMLButtonElement>();
const refreshButtons = (): void => {
  for (const button of actions) button.disabled = current === undefined || running.has(button);
};

/** Runs `action` with `button` disabled until it settles; does nothing without a session. */
async function whileRunning(button: HTMLButtonElement, action: (session: DemoSession) => Promise<void>): Promise<void> {
  const session = current;
  if (session === undefined || running.has(button)) return;
  running.add(button);
  refreshButtons();
  try {
    await action(session);
  } finally {
    running.delete(button);
    refreshButtons();
  }
}

function describe(error: unknown): string {
  // The facade's CallError reads "<uri>: <the error's message>".
  if (error instanceof CallError) return `Error ${error.message}`;
  return `Error: ${error instanceof Error ? error.message : String(error)}`;
}

function setStatus(text: string, state: 'connected' | 'disconnected'): void {
  const status = byId('status');
  status.textContent = text;
  status.className = state;
}

// The message panel: frames as they cross the wire. The clock's EVENTs (one a second) are
// counted but shown only on request, so calls and chat stay readable.
const wire = new WireReader();
const wireList = byId<HTMLOListElement>('wire');
const showClock = byId<HTMLInputElement>('wire-clock');
let clockFramesHidden = 0;
function addWire(message: WireMessage): void {
  if (message.uri === 'demo.stats' && message.name === 'EVENT' && !showClock.checked) {
    byId('wire-hidden').textContent = String(++clockFramesHidden);
    return;
  }
  const item = document.createElement('li');
  item.className = message.direction;
  const arrow = document.createElement('span');
  arrow.className = 'arrow';
  arrow.textContent = message.direction === 'sent' ? '→ sent' : '← received';
  const name = document.createElement('strong');
  name.textContent = message.uri === undefined ? message.name : `${message.name} ${message.uri}`;
  const text = document.createElement('code');
  text.textContent = message.text.length > 300 ? `${message.text.slice(0, 299)}…` : message.text;
  item.append(arrow, ' ', name, ' ', text);
  wireList.prepend(item);
  while (wireList.children.length > WIRE_MAX) wireList.lastElementChild?.remove();
}
recordWebSocketFrames((direction, text) => addWire(wire.read(direction, text)));

// math.add: whatever is typed goes to the server, which answers with the sum or says which argument is wrong.
byId<HTMLFormElement>('add-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const sum = byId('sum');
  void whileRunning(byId<HTMLButtonElement>('add'), async (session) => {
    show(sum, 'Calling…', 'pending');
    try {
      // Sent as typed, text included, on purpose: the server's schemas say what is wrong, so the
      // page widens the facade's `number` here instead of checking the input itself.
      const numbers = [numberOrText(byId('number1')), numberOrText(byId('number2'))] as number[];
      const result = await session.api.call('math.add', numbers);
      show(sum, `= ${String(result)}`, 'ok');
    } catch (error) {
      show(sum, describe(error), 'error');
    }
  });
});

// countdown_to_liftoff with progress; Cancel aborts the call's signal: the facade sends CANCEL,
// the server's procedure stops, and the call rejects with wamp.error.canceled at once.
let cancelCountdown: (() => void) | undefined;
const cancelButton = byId<HTMLButtonElement>('cancel');
cancelButton.addEventListener('click', () => {
  cancelCountdown?.();
  cancelCountdown = undefined;
  cancelButton.disabled = true;
  show(byId('liftoff'), 'Cancelling…', 'pending');
});
byId<HTMLFormElement>('countdown-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const liftoff = byId('liftoff');
  const bar = byId<HTMLProgressElement>('progress');
  const from = numberOrText(byId('from'));
  void whileRunning(byId<HTMLButtonElement>('countdown'), async (session) => {
    let lastSeen: unknown;
    bar.max = typeof from === 'number' && from > 0 ? from : 1;
    bar.value = 0;
    show(liftoff, 'Starting…', 'pending');
    const controller = new AbortController();
    cancelCountdown = () => controller.abort();
    cancelButton.disabled = false;
    try {
      // `from` as typed, like math.add's numbers: the server's schema answers a bad one.
      const { kwargs } = await session.api.callResult('countdown_to_liftoff', { from: from as number }, {
        signal: controller.signal,
        onProgress: ({ kwargs: { timeLeft } }) => {
          lastSeen = timeLeft;
          bar.value = bar.max - timeLeft;
          if (cancelCountdown !== undefined) show(liftoff, `${String(timeLeft)}…`, 'pending');
        },
      });
      bar.value = bar.max;
      show(liftoff, `Liftoff: ${kwargs.liftoffStatus}`, 'ok');
    } catch (error) {
      if (error instanceof CallError && error.uri === 'wamp.error.canceled') {
        show(liftoff, `Cancelled at ${String(lastSeen ?? from)}…: the server stops the countdown.`, 'notice');
      } else {
        show(liftoff, describe(error), 'error');
      }
    } finally {
      cancelCountdown = undefined;
      cancelButton.disabled = true;
    }
  });
});

// Chat: the server forwards each message to the other subscribers under the sender's name.
const say = (who: string, text: string): void => {
  const item = document.createElement('li');
  item.textContent = `${who}: ${text}`;
  appendBounded(byId('messages'), item, CHAT_MAX);
};
byId<HTMLFormElement>('chat').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>('text');
  const text = input.value.trim();
  if (text === '') return;
  void whileRunning(byId<HTMLButtonElement>('send'), async (session) => {
    try {
      await session.raw.publish('chat.room', [text]);
      say('you', text);
      input.value = '';
      byId('chat-error').textContent = '';
    } catch (error) {
      byId('chat-error').textContent = describe(error);
    }
  });
});

// The name travels as the HELLO authid (the server's demo-names.ts); without one the server picks guest-<n>.
const chosenName = localStorage.getItem(NAME_KEY) ?? undefined;
byId<HTMLFormElement>('rename').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = byId<HTMLInputElement>('name').value.trim();
  if (name === '') localStorage.removeItem(NAME_KEY);
  else localStorage.setItem(NAME_KEY, name);
  location.reload();
});

const presence = new Presence();
const integer = new Intl.NumberFormat();

async function opened(session: DemoSession): Promise<void> {
  current = session;
  refreshButtons();
  setStatus(`Connected as ${session.authid} (session ${session.id}).`, 'connected');
  byId<HTMLInputElement>('name').value = session.authid;
  await session.api.subscribe('demo.stats', (stats) => {
    const time = new Date(stats.time);
    const clock = byId<HTMLTimeElement>('clock');
    clock.dateTime = time.toISOString();
    clock.textContent = time.toLocaleTimeString();
    byId('sessions').textContent = integer.format(stats.sessions);
    byId('calls').textContent = integer.format(stats.calls);
    byId('events').textContent = integer.format(stats.events);
  });
  await session.raw.subscribe('hourly.updates', ({ args: [text] }) => void (byId('hourly').textContent = String(text)));
  await session.raw.subscribe('chat.room', ({ args: [text], publisherName }) => say(publisherName ?? 'someone', String(text)));
  const node = await session.api.call('demo.node');
  byId('node').textContent = node.cluster ? `(you are on node ${node.node})` : '(one process)';
  await presence.track(session);
}

const connection = connect({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
  realm: 'realm1',
  authid: chosenName,
  onOpen: (session) =>
    opened(session).catch((error: unknown) => setStatus(`Connected, but the page could not set up: ${describe(error)}`, 'disconnected')),
  onClose({ reason, message, willRetry }) {
    current = undefined;
    refreshButtons();
    if (willRetry) {
      setStatus(`Disconnected (${reason}); retrying…`, 'disconnected');
    } else if (reason === 'wamp.close.system_shutdown') {
      // autobahn-js does not reconnect after a GOODBYE: come back once the server may have restarted.
      setStatus('The server shut down; reconnecting in 5 s…', 'disconnected');
      setTimeout(() => connection.reopen(), 5000);
    } else if (reason === 'demo.error.invalid_name') {
      localStorage.removeItem(NAME_KEY);
      setStatus(`That name cannot be used: ${message ?? reason}. Reload to join as a guest.`, 'disconnected');
    } else {
      setStatus(`Disconnected (${reason}).`, 'disconnected');
    }
  },
});
