/**
 * Who is online, on every node: the session meta API lists the sessions of
 * the whole cluster, and its on_join and on_leave events keep the list live.
 * A session that leaves while the page asks about it stays out. The meta API
 * is not a route set, so `DemoAPI` cannot type it: this goes through the raw session.
 */
import { byId } from './dom.js';
import type { DemoSession } from './wamp.js';

export class Presence {
  readonly #online = new Map<number, string>();
  readonly #gone = new Set<number>();
  readonly #list = byId<HTMLUListElement>('online');
  readonly #count = byId('online-count');
  #self = 0;

  async track(session: DemoSession): Promise<void> {
    this.#online.clear();
    this.#gone.clear();
    this.#self = session.id;
    await session.raw.subscribe('wamp.session.on_join', ({ args: [details] }) => {
      const { session: id, authid } = details as { session: number; authid: string };
      this.#online.set(id, authid);
      this.#render();
    });
    await session.raw.subscribe('wamp.session.on_leave', ({ args: [id] }) => {
      this.#gone.add(id as number);
      this.#online.delete(id as number);
      this.#render();
    });
    const [ids] = await session.raw.call('wamp.session.list');
    await Promise.all(
      (ids as number[]).map(async (id) => {
        try {
          const [details] = await session.raw.call('wamp.session.get', [id]);
          if (!this.#gone.has(id)) this.#online.set(id, (details as { authid: string }).authid);
        } catch {
          // It left in the meantime.
        }
      }),
    );
    this.#render();
  }

  #render(): void {
    const items = [...this.#online].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => {
      const item = document.createElement('li');
      item.textContent = id === this.#self ? `${name} (you)` : name;
      return item;
    });
    this.#list.replaceChildren(...items);
    this.#count.textContent = String(items.length);
  }
}
