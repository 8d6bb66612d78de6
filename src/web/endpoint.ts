/**
 * One web-standard endpoint: its upgrade decision, and the connections it
 * serves, so that closing it (or `app.close()`) closes them with 1001.
 * @module
 */
import type { Closable } from '../transport.js';
import type { WebHost, WebSocketServeOptions } from './host.js';
import { upgradeDecider, type OfferReader, type UpgradeDecision } from './upgrade.js';
import type { PeerInfo } from './transport-info.js';

/** What an endpoint closes on shutdown. */
export interface ServedSocket {
  close(code: number, reason: string): void;
}

/** The largest message accepted when the options do not say (as the Node adapter). */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export class WebEndpoint implements Closable {
  readonly host: WebHost;
  readonly maxPayload: number;
  readonly sockets = new Set<ServedSocket>();
  readonly #decide: ReturnType<typeof upgradeDecider>;
  readonly #unregister: () => void;
  #closed = false;

  constructor(host: WebHost, options: WebSocketServeOptions, readOffers?: OfferReader) {
    this.host = host;
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    this.#decide = upgradeDecider(host, options, () => this.#closed, readOffers);
    this.#unregister = host.addClosable(this);
  }

  /** Decides on an upgrade; whatever goes wrong (an origin predicate that throws) is a 400, never a throw at the host. */
  decide(request: Request, peer?: PeerInfo): UpgradeDecision {
    try {
      return this.#decide(request, peer);
    } catch (error) {
      this.host.logger.warn({ err: error }, 'upgrade failed');
      const response = new Response('The upgrade request could not be processed.\n', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      return { accepted: false, response };
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unregister();
    for (const socket of this.sockets) socket.close(1001, 'server shutting down');
    this.sockets.clear();
  }
}
