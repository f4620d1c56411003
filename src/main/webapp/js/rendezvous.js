// Rendezvous client: one WebSocket to the signaling server, protocol 1 (docs/protocol.md).
// No dependencies; import it as an ES module.

/**
 * @typedef {object} Welcome
 * @property {string} peerId      who this client is, as the server chose it
 * @property {{intervalMs: number, timeoutMs: number}} heartbeat
 * @property {{maxMessageBytes: number, messagesPerSecond: number, burst: number, roomCapacity: number}} limits
 * @property {RTCIceServer[]} iceServers  pass to new RTCPeerConnection({iceServers})
 */

/**
 * @typedef {object} Member
 * @property {string} peerId
 * @property {string} [displayName]
 * @property {boolean} polite  whether THAT peer plays the polite role in your pair (you play the other)
 */

/**
 * @typedef {object} Joined
 * @property {string} room
 * @property {string} peerId
 * @property {number} capacity
 * @property {Member[]} peers  the members already in the room: offer to each of them
 */

/** An error the server answered with; `code` is one of docs/protocol.md's error codes. */
export class RendezvousError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'RendezvousError';
    this.code = code;
  }
}

/** The /signal URL next to the page that loads this module (ws: or wss: to match http: or https:). */
export function signalUrl(base = document.baseURI) {
  const url = new URL('signal', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * A connection to the signaling server. Requests return promises; everything the server pushes arrives as a
 * CustomEvent whose `detail` is the message's data:
 *
 * - `peer-joined` {room, peer: {peerId, displayName}, polite}
 * - `peer-left`   {room, peerId, reason}
 * - `signal`      {action, from, data}: offer, answer, candidate, end-of-candidates, renegotiate, hangup
 * - `message`     {from, payload}
 * - `disconnected` {code, reason}: the socket dropped; with `reconnect` on, a new one is on its way
 * - `reconnected` {welcome, joined}: a new socket, a new peer id, and the room joined again
 *
 * If the socket drops, the client reconnects with exponential backoff, says hello and joins its room again.
 */
export class RendezvousClient extends EventTarget {
  /**
   * @param {string} url   e.g. signalUrl() or 'wss://host/signal'
   * @param {{reconnect?: boolean, minBackoffMs?: number, maxBackoffMs?: number, timeoutMs?: number}} [options]
   */
  constructor(url, { reconnect = true, minBackoffMs = 500, maxBackoffMs = 15000, timeoutMs = 10000 } = {}) {
    super();
    this.url = url;
    this.options = { reconnect, minBackoffMs, maxBackoffMs, timeoutMs };
    /** @type {Welcome|null} */
    this.welcome = null;
    /** @type {{room: string, displayName?: string}|null} */
    this.membership = null;
    this.socket = null;
    this.pending = new Map();
    this.nextTxn = 1;
    this.attempt = 0;
    this.closedByUs = false;
    this.up = false;
  }

  /** @returns {string|null} this client's peer id, once connected */
  get peerId() {
    return this.welcome?.peerId ?? null;
  }

  /** @returns {RTCIceServer[]} the ICE servers the server handed out */
  get iceServers() {
    return this.welcome?.iceServers ?? [];
  }

  /**
   * Opens the socket and says hello.
   * @returns {Promise<Welcome>}
   */
  async connect() {
    this.closedByUs = false;
    await this.open();
    this.welcome = await this.request('hello', { protocol: 1 });
    this.attempt = 0;
    this.up = true;
    return this.welcome;
  }

  /**
   * Joins a room (leaving the current one, if another).
   * @param {string} room  1-64 characters of A-Z a-z 0-9 _ . -
   * @param {string} [displayName]
   * @returns {Promise<Joined>}  rejects with a RendezvousError, e.g. code 'room-full'
   */
  async join(room, displayName) {
    const joined = await this.request('join', displayName ? { room, displayName } : { room });
    this.membership = { room, displayName };
    return joined;
  }

  /** Leaves the current room. @returns {Promise<{room: string}>} */
  async leave() {
    this.membership = null;
    return this.request('leave');
  }

  /**
   * Relays a negotiation message to one peer of the room; the server adds `from`.
   * @param {'offer'|'answer'|'candidate'|'end-of-candidates'|'renegotiate'|'hangup'} action
   * @param {string} to    the peer's id
   * @param {object} [data]
   */
  signal(action, to, data = {}) {
    this.send({ action, data: { ...data, to } });
  }

  /**
   * Sends an application message to one peer, or to everyone else in the room when `to` is omitted.
   * @param {any} payload  any JSON value
   * @param {string} [to]
   */
  message(payload, to) {
    this.send({ action: 'message', data: to ? { to, payload } : { payload } });
  }

  /** Closes for good: no reconnect. */
  close() {
    this.closedByUs = true;
    this.membership = null;
    clearTimeout(this.retry);
    this.retry = null;
    this.socket?.close(1000, 'bye');
  }

  // ---- internals ----

  open() {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new RendezvousError('connection-failed', 'cannot reach the signaling server'));
      socket.onmessage = (event) => this.receive(JSON.parse(event.data));
      socket.onclose = (event) => this.dropped(socket, event);
    });
  }

  /** @returns {Promise<any>} the reply's data */
  request(action, data) {
    const txn = String(this.nextTxn++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(txn);
        reject(new RendezvousError('timeout', `no answer to ${action}`));
      }, this.options.timeoutMs);
      this.pending.set(txn, { resolve, reject, timer });
      try {
        this.send(data === undefined ? { action, txn } : { action, txn, data });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(txn);
        reject(error);
      }
    });
  }

  send(message) {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      throw new RendezvousError('not-connected', 'not connected to the signaling server');
    }
    this.socket.send(JSON.stringify(message));
  }

  receive(message) {
    const waiting = message.txn !== undefined && this.pending.get(message.txn);
    if (waiting) {
      this.pending.delete(message.txn);
      clearTimeout(waiting.timer);
      if (message.action === 'error') {
        waiting.reject(new RendezvousError(message.data.code, message.data.message));
      } else {
        waiting.resolve(message.data ?? {});
      }
      return;
    }
    switch (message.action) {
      case 'peer-joined':
      case 'peer-left':
        this.emit(message.action, message.data);
        break;
      case 'message':
        this.emit('message', { from: message.from, payload: message.data.payload });
        break;
      case 'error':
        this.emit('error', message.data);
        break;
      default:
        this.emit('signal', { action: message.action, from: message.from, data: message.data ?? {} });
    }
  }

  dropped(socket, event) {
    if (socket !== this.socket) {
      return;
    }
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new RendezvousError('disconnected', 'the connection closed'));
    }
    this.pending.clear();
    const wasUp = this.up;
    this.up = false;
    if (!wasUp) {
      return; // a failed attempt: whoever made it decides what next
    }
    this.emit('disconnected', { code: event.code, reason: event.reason });
    if (!this.closedByUs && this.options.reconnect) {
      this.scheduleReconnect();
    }
  }

  scheduleReconnect() {
    if (this.retry) {
      return; // one attempt at a time
    }
    const { minBackoffMs, maxBackoffMs } = this.options;
    const backoff = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.attempt++);
    const delay = backoff / 2 + Math.random() * backoff / 2; // jitter, so a crowd does not return in step
    this.emit('reconnecting', { inMs: Math.round(delay), attempt: this.attempt });
    this.retry = setTimeout(() => {
      this.retry = null;
      this.reconnect();
    }, delay);
  }

  async reconnect() {
    const membership = this.membership;
    try {
      const welcome = await this.connect();
      const joined = membership ? await this.join(membership.room, membership.displayName) : null;
      this.emit('reconnected', { welcome, joined });
    } catch (error) {
      if (error.code && error.code !== 'disconnected' && error.code !== 'connection-failed' && error.code !== 'timeout') {
        this.membership = null; // e.g. the room filled up meanwhile: stay connected, out of the room
        this.emit('error', { code: error.code, message: error.message });
        return;
      }
      if (!this.closedByUs && !this.up) {
        this.scheduleReconnect();
      }
    }
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
