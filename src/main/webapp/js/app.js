// The video-call page: a room of up to `capacity` people in a full mesh, built on RendezvousClient.
import { RendezvousClient, signalUrl } from './rendezvous.js';
import { Call } from './call.js';

const $ = (selector) => document.querySelector(selector);

/** What the page knows; also on window.rendezvous, for tests and the curious. */
const state = {
  /** @type {RendezvousClient|null} */
  client: null,
  /** @type {MediaStream|null} */
  localStream: null,
  /** @type {MediaStreamTrack|null} */
  screenTrack: null,
  /** peerId → {call: Call, tile: HTMLElement, name: string} */
  calls: new Map(),
  /** peerId → {name, polite}: who is in the room with us, calls or not */
  members: new Map(),
  /** what the page heard of others coming and going, in order: [{event, peerId}] */
  heard: [],
  room: null,
  name: null,
};
window.rendezvous = state;

const PLAIN_WORDS = {
  'room-full': 'This room is full. Try another room name, or ask someone to leave.',
  'connection-failed': 'Cannot reach the Rendezvous server. Check your network and try again.',
  'disconnected': 'The connection dropped.',
  'timeout': 'The server did not answer in time. Try again.',
  'rate-limited': 'Slow down a little: you sent too many messages at once.',
  'bad-request': 'The server did not understand that. Room names use letters, digits, dots, dashes and underscores.',
  'not-connected': 'Not connected to the server yet.',
  'unauthorized': 'You are not signed in to this call service, or your sign-in has run out.',
  'forbidden': 'You are not allowed into this room.',
};

function plain(error) {
  return PLAIN_WORDS[error.code] ?? error.message ?? 'Something went wrong.';
}

function notice(text, kind = 'info') {
  const box = $('#notice');
  box.textContent = text ?? '';
  box.dataset.kind = kind;
  box.hidden = !text;
}

// ---- landing ----

function randomRoom() {
  const words = ['amber', 'birch', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'harbor', 'iris', 'juniper'];
  const pick = () => words[Math.floor(Math.random() * words.length)];
  return `${pick()}-${pick()}-${Math.floor(Math.random() * 1000)}`;
}

function roomFromUrl() {
  return new URLSearchParams(location.search).get('room') || decodeURIComponent(location.hash.slice(1)) || '';
}

/**
 * The token for a server with access control on (docs/auth.md): an application that embeds this page hands it over in
 * the fragment, `#token=<JWT>`, which browsers never send to a server; the page keeps it for this tab and takes it out
 * of the address bar, so a shared link does not carry it. Null when there is none: a server with access control off.
 */
function signInToken() {
  return sessionStorage.getItem('rendezvous.token');
}

{
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    sessionStorage.setItem('rendezvous.token', fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
}

$('#room-name').value = roomFromUrl();
$('#display-name').value = localStorage.getItem('rendezvous.name') ?? '';

// reloaded within the grace: take the session up again and go straight back into the room (unless the link names
// another room, in which case the user means to go there)
const left = RendezvousClient.savedSession();
if (left?.membership && [left.membership.room, ''].includes(roomFromUrl())) {
  join(left.membership.room, left.membership.displayName ?? '').catch((error) => notice(plain(error), 'error'));
}
$('#random-room').addEventListener('click', () => {
  $('#room-name').value = randomRoom();
});
$('#join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('#display-name').value.trim();
  const room = $('#room-name').value.trim() || randomRoom();
  localStorage.setItem('rendezvous.name', name);
  join(room, name).catch((error) => notice(plain(error), 'error'));
});

async function join(room, name) {
  $('#join').disabled = true;
  try {
    notice('Joining…');
    state.localStream ??= await cameraAndMicrophone();
    showSelf();
    if (!state.client) {
      state.client = listen(new RendezvousClient(signalUrl(), { token: signInToken() }));
    }
    if (!state.client.peerId) {
      await state.client.connect();
    }
    state.name = name;
    // a reload within the grace resumed our session: the others still hold calls with our old page, so they are told
    // to hang those up before we call them again
    const restart = state.client.welcome.resumed;
    enterRoom(await state.client.join(room, name || undefined), { restart });
  } finally {
    $('#join').disabled = false;
  }
}

async function cameraAndMicrophone() {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch (error) {
    const why = error.name === 'NotAllowedError'
      ? 'Camera and microphone are blocked for this page, so others will not see or hear you.'
      : 'No camera or microphone was found, so others will not see or hear you.';
    notice(`${why} You can still see and hear them.`, 'warning');
    return null;
  }
}

// ---- the room ----

function enterRoom(joined, { restart = false } = {}) {
  state.room = joined.room;
  history.replaceState(null, '', `?room=${encodeURIComponent(joined.room)}`);
  $('#landing').hidden = true;
  $('#room').hidden = false;
  $('#room-title').textContent = joined.room;
  $('#share-link').value = location.href;
  if (!$('#notice').dataset.kind || $('#notice').dataset.kind === 'info') {
    notice('');
  }
  // the newcomer offers to everyone already here; who was there first is polite toward the other
  state.members.clear();
  for (const member of joined.peers) {
    state.members.set(member.peerId, { name: member.displayName, polite: !member.polite });
    if (restart) {
      state.client.signal('hangup', member.peerId);
    }
    startCall(member.peerId, member.displayName, { polite: !member.polite, initiator: true });
  }
  updateCount();
}

function listen(client) {
  for (const event of ['peer-joined', 'peer-left', 'peer-state']) {
    client.addEventListener(event, ({ detail }) => state.heard.push({ event, peerId: detail.peerId ?? detail.peer.peerId, state: detail.state }));
  }
  client.addEventListener('peer-joined', ({ detail }) => {
    state.members.set(detail.peer.peerId, { name: detail.peer.displayName, polite: !detail.polite });
    startCall(detail.peer.peerId, detail.peer.displayName, { polite: !detail.polite, initiator: false });
  });
  client.addEventListener('peer-left', ({ detail }) => {
    state.members.delete(detail.peerId);
    endCall(detail.peerId);
  });
  client.addEventListener('peer-state', ({ detail }) => {
    const entry = state.calls.get(detail.peerId);
    if (entry) {
      entry.tile.dataset.signaling = detail.state; // 'reconnecting' shows on the tile; media goes on meanwhile
    }
  });
  client.addEventListener('signal', ({ detail: { action, from, data } }) => {
    if (action === 'hangup') {
      endCall(from);
      return;
    }
    const member = state.members.get(from);
    if (action === 'offer' && !state.calls.has(from) && member) {
      // a member whose page was reloaded calls again: answer it with a new connection
      startCall(from, member.name, { polite: member.polite, initiator: false });
    }
    state.calls.get(from)?.call.receive(action, data).catch((error) => console.warn(`${action} from ${from}`, error));
  });
  client.addEventListener('message', ({ detail: { from, payload } }) => {
    if (payload?.type === 'chat' && typeof payload.text === 'string') {
      say(state.calls.get(from)?.name ?? 'Someone', payload.text);
    }
  });
  // while the signaling connection is down the calls go on: media does not go through the server
  client.addEventListener('disconnected', () => {
    notice('Connection lost. Reconnecting…', 'warning');
  });
  client.addEventListener('reconnecting', () => {
    notice('Connection lost. Reconnecting…', 'warning');
  });
  client.addEventListener('resumed', () => {
    notice('');
  });
  client.addEventListener('resume-failed', () => {
    endAllCalls(); // the session is gone: the others will see us as someone new
  });
  client.addEventListener('reconnected', ({ detail }) => {
    notice('');
    if (detail.joined) {
      enterRoom(detail.joined);
    }
  });
  client.addEventListener('ice-servers', ({ detail: { iceServers } }) => {
    for (const { call } of state.calls.values()) {
      call.useIceServers(iceServers);
    }
  });
  client.addEventListener('error', ({ detail }) => notice(plain(detail), 'error'));
  return client;
}

function startCall(peerId, displayName, { polite, initiator }) {
  endCall(peerId);
  const name = displayName || 'Guest';
  const tile = addTile(peerId, name);
  const call = new Call({
    peerId,
    polite,
    initiator,
    iceServers: state.client.iceServers,
    localStream: state.localStream,
    videoTrack: state.screenTrack,
    signal: (action, data) => state.client.signal(action, peerId, data),
    onStream: (stream) => {
      tile.querySelector('video').srcObject = stream;
    },
    onState: (connection) => {
      tile.dataset.state = connection;
    },
  });
  state.calls.set(peerId, { call, tile, name });
  updateCount();
}

function endCall(peerId) {
  const entry = state.calls.get(peerId);
  if (!entry) {
    return;
  }
  state.calls.delete(peerId);
  entry.call.close();
  entry.tile.remove();
  updateCount();
}

function endAllCalls() {
  for (const peerId of [...state.calls.keys()]) {
    endCall(peerId);
  }
}

function addTile(peerId, name) {
  const tile = document.createElement('figure');
  tile.className = 'tile remote';
  tile.dataset.peer = peerId;
  tile.dataset.state = 'new';
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  const caption = document.createElement('figcaption');
  caption.textContent = name;
  tile.append(video, caption);
  $('#grid').append(tile);
  return tile;
}

function showSelf() {
  const video = $('#self video');
  video.srcObject = state.localStream;
  $('#self').classList.toggle('no-camera', !state.localStream);
  $('#self figcaption').textContent = 'You';
}

function updateCount() {
  const people = state.calls.size + 1;
  $('#people').textContent = people === 1 ? 'Only you so far — share the link' : `${people} people`;
}

// ---- controls ----

function toggleTrack(kind, button) {
  const tracks = state.localStream?.getTracks().filter((track) => track.kind === kind) ?? [];
  if (tracks.length === 0) {
    notice(`No ${kind === 'audio' ? 'microphone' : 'camera'} to turn on.`, 'warning');
    return;
  }
  const on = !tracks[0].enabled;
  tracks.forEach((track) => {
    track.enabled = on;
  });
  button.setAttribute('aria-pressed', String(!on));
  button.textContent = kind === 'audio' ? (on ? 'Mute' : 'Unmute') : (on ? 'Camera off' : 'Camera on');
}

$('#toggle-mic').addEventListener('click', (event) => toggleTrack('audio', event.currentTarget));
$('#toggle-camera').addEventListener('click', (event) => toggleTrack('video', event.currentTarget));

$('#share-screen').addEventListener('click', async () => {
  if (state.screenTrack) {
    stopSharing();
    return;
  }
  try {
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    state.screenTrack = display.getVideoTracks()[0];
    state.screenTrack.addEventListener('ended', stopSharing);
    await Promise.all([...state.calls.values()].map(({ call }) => call.replaceVideo(state.screenTrack)));
    $('#self video').srcObject = display;
    $('#share-screen').textContent = 'Stop sharing';
  } catch (error) {
    if (error.name !== 'NotAllowedError') {
      notice('Screen sharing is not available here.', 'warning');
    }
  }
});

/** Turns camera, microphone and any shared screen off; joining again asks for them again. */
function releaseMedia() {
  state.screenTrack?.stop();
  state.screenTrack = null;
  state.localStream?.getTracks().forEach((track) => track.stop());
  state.localStream = null;
  $('#self video').srcObject = null;
  $('#share-screen').textContent = 'Share screen';
  for (const button of [$('#toggle-mic'), $('#toggle-camera')]) {
    button.setAttribute('aria-pressed', 'false');
  }
  $('#toggle-mic').textContent = 'Mute';
  $('#toggle-camera').textContent = 'Camera off';
}

function stopSharing() {
  const camera = state.localStream?.getVideoTracks()[0] ?? null;
  state.screenTrack?.stop();
  state.screenTrack = null;
  state.calls.forEach(({ call }) => call.replaceVideo(camera));
  $('#self video').srcObject = state.localStream;
  $('#share-screen').textContent = 'Share screen';
}

$('#leave').addEventListener('click', async () => {
  endAllCalls();
  state.members.clear();
  try {
    await state.client?.leave();
  } catch (error) {
    // leaving a room we were already dropped from changes nothing
  }
  releaseMedia();
  state.room = null;
  $('#room').hidden = true;
  $('#landing').hidden = false;
  history.replaceState(null, '', location.pathname);
});

$('#copy-link').addEventListener('click', async () => {
  await navigator.clipboard?.writeText($('#share-link').value);
  notice('Link copied.');
});

// ---- chat: through the server's `message`, so it reaches the whole room even before calls connect ----

$('#chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('#chat-input');
  const text = input.value.trim();
  if (!text) {
    return;
  }
  try {
    state.client.message({ type: 'chat', text });
    say('You', text);
    input.value = '';
  } catch (error) {
    notice(plain(error), 'error');
  }
});

function say(who, text) {
  const line = document.createElement('li');
  const author = document.createElement('strong');
  author.textContent = who;
  line.append(author, ` ${text}`);
  $('#chat-log').append(line);
  line.scrollIntoView({ block: 'end' });
}
