// Rendezvous client: one WebSocket to the signaling server, protocol 1 (docs/protocol.md).
// No dependencies; import it as an ES module.

/**
 * @typedef {object} Welcome
 * @property {string} peerId      who this client is, as the server chose it
 * @property {boolean} [resumed]  whether this welcome took up a session that had dropped
 * @property {{token: string, graceMs: number}} [resume]  what the client resumes with if its socket drops
 * @property {{intervalMs: number, timeoutMs: number}} heartbeat
 * @property {{maxMessageBytes: number, messagesPerSecond: number, burst: number, roomCapacity: number}} limits
 * @property {RTCIceServer[]} iceServers  pass to new RTCPeerConnection({iceServers})
 */

/**
 * @typedef {object} Member
 * @property {string} peerId
 * @property {string} [displayName]
 * @property {string} [userId]  the user the member's token names (`sub`), with access control on
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
  /** @param {string} code @param {string} message @param {string} [reason] */
  constructor(code, message, reason) {
    super(message);
    this.name = 'RendezvousError';
    this.code = code;
    this.reason = reason;
  }
}

/** The /signal URL next to the page that loads this module (ws: or wss: to match http: or https:). */
export function signalUrl(base = document.baseURI) {
  const url = new URL('signal', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** The server refused this socket: access control is on and it holds no valid token (docs/protocol.md, 4001). */
const UNAUTHORIZED = 4001;
/** The server closed this socket because the session was taken up on another one (docs/protocol.md, 4005). */
const RESUMED_ELSEWHERE = 4005;
/** How many messages, or how long, before the client acknowledges what it has read. */
const ACK_EVERY = 16;
const ACK_AFTER_MS = 2000;

/**
 * A connection to the signaling server. Requests return promises; everything the server pushes arrives as a
 * CustomEvent whose `detail` is the message's data:
 *
 * - `peer-joined` {room, peer: {peerId, displayName}, polite}
 * - `peer-left`   {room, peerId, reason}
 * - `peer-state`  {room, peerId, state}: 'reconnecting' while that peer's connection is down, 'connected' when back
 * - `signal`      {action, from, data}: offer, answer, candidate, end-of-candidates, renegotiate, hangup
 * - `message`     {from, payload}
 * - `disconnected` {code, reason}: the socket dropped; with `reconnect` on, the client is getting it back
 * - `reconnecting` {inMs, attempt}: the next attempt's delay
 * - `resumed`     {welcome}: the session was taken up again: same peer id, same room, nothing lost
 * - `resume-failed` {reason}: it could not be ('expired', 'unknown', 'gap'); a fresh session follows
 * - `reconnected` {welcome, joined}: a fresh session, a new peer id, and the room joined again
 * - `ice-servers` {iceServers}: fresh TURN credentials, sent before the last ones expire; `iceServers` has them too,
 *   and each RTCPeerConnection should take them (`pc.setConfiguration`) so that a later ICE restart still authenticates
 *
 * With access control on (docs/auth.md) the server wants a token in hello: pass `token`, a string or a function that
 * returns one (or a promise of one), asked again for every fresh session. A refused token rejects `connect()` with
 * code 'unauthorized'; a room the token does not grant rejects `join()` with 'forbidden'.
 *
 * If the socket drops, the client resumes its session, so that the server's grace keeps its peer id, its seat and
 * every message meanwhile; signals and messages sent while it is down go out once it is back. It retries with jittered
 * backoff, but while the grace runs it never waits longer than half of what is left of it, so a network that is back
 * in time finds its session still there.
 * The session is kept in sessionStorage too, so a reload of the page within the grace resumes it.
 */
export class RendezvousClient extends EventTarget {
  /**
   * @param {string} url   e.g. signalUrl() or 'wss://host/signal'
   * @param {{token?: string|(() => string|Promise<string>), reconnect?: boolean, minBackoffMs?: number,
   *          maxBackoffMs?: number, timeoutMs?: number, storage?: Storage|null, storageKey?: string}} [options]
   */
  constructor(url, {
    token = null, reconnect = true, minBackoffMs = 250, maxBackoffMs = 10000, timeoutMs = 10000,
    storage = globalThis.sessionStorage ?? null, storageKey = 'rendezvous.session',
  } = {}) {
    super();
    this.url = url;
    this.options = { token, reconnect, minBackoffMs, maxBackoffMs, timeoutMs, storage, storageKey };
    /** @type {Welcome|null} */
    this.welcome = null;
    /** @type {{room: string, displayName?: string}|null} */
    this.membership = null;
    this.socket = null;
    this.pending = new Map();
    this.nextTxn = 1;
    this.attempt = 0;
    /** when the socket of a session the server may still hold dropped (Date.now()), or null */
    this.droppedAt = null;
    this.closedByUs = false;
    this.up = false;
    /** the last seq read, and the last acknowledged */
    this.lastSeq = 0;
    this.ackedSeq = 0;
    this.ackTimer = null;
    /** signals and messages sent while the socket is down, in order */
    this.queued = [];
    this.saved = this.load();
    globalThis.addEventListener?.('pagehide', () => this.save()); // what was read last, for a reload to resume from
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
   * Opens the socket and says hello; if this page had a session that may still be waiting (a reload within the
   * grace), resumes it instead, and `welcome.resumed` says so (the room membership is then `membership`).
   * @returns {Promise<Welcome>}
   */
  async connect() {
    this.closedByUs = false;
    await this.open();
    const saved = this.saved;
    this.saved = null;
    if (saved) {
      try {
        this.welcome = await this.request('hello', { protocol: 1, resume: { token: saved.token, lastSeq: saved.lastSeq } });
        this.lastSeq = saved.lastSeq;
        this.membership = saved.membership;
        this.started();
        return this.welcome;
      } catch (error) {
        if (error.code !== 'resume-failed' && error.code !== 'bad-request') {
          throw error;
        }
        this.emit('resume-failed', { reason: error.reason ?? error.code });
      }
    }
    this.welcome = await this.request('hello', await this.freshHello());
    this.lastSeq = 0;
    this.started();
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
    this.save();
    return joined;
  }

  /** Leaves the current room. @returns {Promise<{room: string}>} */
  async leave() {
    this.membership = null;
    this.save();
    return this.request('leave');
  }

  /**
   * Relays a negotiation message to one peer of the room; the server adds `from`. While the socket is down it waits,
   * and goes out once the session is resumed.
   * @param {'offer'|'answer'|'candidate'|'end-of-candidates'|'renegotiate'|'hangup'} action
   * @param {string} to    the peer's id
   * @param {object} [data]
   */
  signal(action, to, data = {}) {
    this.sendOrQueue({ action, data: { ...data, to } });
  }

  /**
   * Sends an application message to one peer, or to everyone else in the room when `to` is omitted; like a signal,
   * it waits while the socket is down.
   * @param {any} payload  any JSON value
   * @param {string} [to]
   */
  message(payload, to) {
    this.sendOrQueue({ action: 'message', data: to ? { to, payload } : { payload } });
  }

  /** Closes for good: the session ends (no resume) and nothing is reconnected. */
  close() {
    this.closedByUs = true;
    this.membership = null;
    this.queued = [];
    clearTimeout(this.retry);
    this.retry = null;
    this.forget();
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

  /** The data of a fresh session's hello: with the token, when there is one. */
  async freshHello() {
    const { token } = this.options;
    const value = typeof token === 'function' ? await token() : token;
    return value ? { protocol: 1, token: value } : { protocol: 1 };
  }

  /** A session is up on the socket: count from here, send what waited, keep the session for a reload. */
  started() {
    this.attempt = 0;
    this.droppedAt = null;
    this.up = true;
    this.ackedSeq = this.lastSeq;
    this.save();
    const waiting = this.queued.splice(0);
    waiting.forEach((message) => this.send(message));
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

  sendOrQueue(message) {
    if (this.up && this.socket?.readyState === WebSocket.OPEN) {
      this.send(message);
    } else if (!this.closedByUs && this.welcome?.resume) {
      this.queued.push(message); // goes out when the session is resumed
    } else {
      throw new RendezvousError('not-connected', 'not connected to the signaling server');
    }
  }

  receive(message) {
    if (typeof message.seq === 'number') {
      this.lastSeq = message.seq;
      this.acknowledgeSoon();
    }
    const waiting = message.txn !== undefined && this.pending.get(message.txn);
    if (waiting) {
      this.pending.delete(message.txn);
      clearTimeout(waiting.timer);
      if (message.action === 'error') {
        waiting.reject(new RendezvousError(message.data.code, message.data.message, message.data.reason));
      } else {
        waiting.resolve(message.data ?? {});
      }
      return;
    }
    switch (message.action) {
      case 'peer-joined':
      case 'peer-left':
      case 'peer-state':
        this.emit(message.action, message.data);
        break;
      case 'message':
        this.emit('message', { from: message.from, payload: message.data.payload });
        break;
      case 'ice-servers':
        if (this.welcome) {
          this.welcome.iceServers = message.data.iceServers;
        }
        this.emit('ice-servers', message.data);
        break;
      case 'error':
        this.emit('error', message.data);
        break;
      default:
        this.emit('signal', { action: message.action, from: message.from, data: message.data ?? {} });
    }
  }

  /** Tells the server, now and then, what has been read, so that it need not keep it for a resume. */
  acknowledgeSoon() {
    const ack = () => {
      clearTimeout(this.ackTimer);
      this.ackTimer = null;
      if (this.lastSeq > this.ackedSeq && this.up && this.socket?.readyState === WebSocket.OPEN) {
        this.ackedSeq = this.lastSeq;
        this.send({ action: 'ack', data: { seq: this.lastSeq } });
        this.save();
      }
    };
    if (this.lastSeq - this.ackedSeq >= ACK_EVERY) {
      ack();
    } else if (!this.ackTimer) {
      this.ackTimer = setTimeout(ack, ACK_AFTER_MS);
    }
  }

  dropped(socket, event) {
    if (socket !== this.socket) {
      return;
    }
    const why = event.code === UNAUTHORIZED
      ? new RendezvousError('unauthorized', event.reason || 'the server admits only holders of a valid token')
      : new RendezvousError('disconnected', 'the connection closed');
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(why);
    }
    this.pending.clear();
    const wasUp = this.up;
    this.up = false;
    if (!wasUp) {
      return; // a failed attempt: whoever made it decides what next
    }
    this.save();
    this.droppedAt = Date.now();
    this.emit('disconnected', { code: event.code, reason: event.reason });
    if (event.code === RESUMED_ELSEWHERE) {
      this.welcome = null; // another tab took this session: this page starts afresh
      this.forget();
    }
    if (!this.closedByUs && this.options.reconnect) {
      this.scheduleReconnect();
    }
  }

  scheduleReconnect() {
    if (this.retry) {
      return; // one attempt at a time
    }
    const { minBackoffMs, maxBackoffMs } = this.options;
    let backoff = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.attempt++);
    const graceLeft = this.graceLeftMs();
    if (graceLeft > 0) {
      // while the server holds the session, try again within half the grace left: a network that is back in time
      // finds its session, rather than a doubled backoff that ends after the grace
      backoff = Math.min(backoff, Math.max(minBackoffMs, graceLeft / 2));
    }
    const delay = backoff / 2 + Math.random() * backoff / 2; // jitter, so a crowd does not return in step
    this.emit('reconnecting', { inMs: Math.round(delay), attempt: this.attempt });
    this.retry = setTimeout(() => {
      this.retry = null;
      this.reconnect();
    }, delay);
  }

  /** How much longer the server holds the session whose socket dropped (0 or less: none, or its grace is over). */
  graceLeftMs() {
    const resume = this.welcome?.resume;
    return resume && this.droppedAt !== null ? resume.graceMs - (Date.now() - this.droppedAt) : 0;
  }

  /** Resumes the session if it has one to resume; else, or if that fails, starts afresh and joins the room again. */
  async reconnect() {
    const membership = this.membership;
    const resumable = this.welcome?.resume ? { token: this.welcome.resume.token, lastSeq: this.lastSeq } : null;
    try {
      this.closedByUs = false;
      await this.open();
      if (resumable) {
        try {
          this.welcome = await this.request('hello', { protocol: 1, resume: resumable });
          this.started();
          this.emit('resumed', { welcome: this.welcome });
          return;
        } catch (error) {
          if (error.code !== 'resume-failed' && error.code !== 'bad-request') {
            throw error;
          }
          this.queued = []; // for peers of a session that is gone
          this.emit('resume-failed', { reason: error.reason ?? error.code });
        }
      }
      this.welcome = await this.request('hello', await this.freshHello());
      this.lastSeq = 0;
      this.started();
      const joined = membership ? await this.join(membership.room, membership.displayName) : null;
      this.emit('reconnected', { welcome: this.welcome, joined });
    } catch (error) {
      if (error.code && !['disconnected', 'connection-failed', 'timeout'].includes(error.code)) {
        this.membership = null; // e.g. the room filled up meanwhile: stay connected, out of the room
        this.save();
        this.emit('error', { code: error.code, message: error.message });
        return;
      }
      if (!this.closedByUs && !this.up) {
        this.scheduleReconnect();
      }
    }
  }

  /** Keeps the session where a reload of this page finds it (sessionStorage: this tab only). */
  save() {
    const { storage, storageKey } = this.options;
    if (!storage || !this.welcome?.resume) {
      return;
    }
    storage.setItem(storageKey, JSON.stringify({
      peerId: this.welcome.peerId, token: this.welcome.resume.token, lastSeq: this.lastSeq,
      membership: this.membership, savedAt: Date.now(), graceMs: this.welcome.resume.graceMs,
    }));
  }

  /** The session a reload left, if it may still be waiting. */
  load() {
    return RendezvousClient.savedSession(this.options);
  }

  /**
   * The session a reload of this page left, if its grace may not have run out yet: {peerId, membership, ...}, or null.
   * A page that finds one can connect and join its room again at once, as if it had never gone.
   */
  static savedSession({ storage = globalThis.sessionStorage ?? null, storageKey = 'rendezvous.session' } = {}) {
    try {
      const saved = storage && JSON.parse(storage.getItem(storageKey) ?? 'null');
      return saved && Date.now() - saved.savedAt < saved.graceMs ? saved : null;
    } catch (unreadable) {
      return null;
    }
  }

  forget() {
    this.options.storage?.removeItem(this.options.storageKey);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
