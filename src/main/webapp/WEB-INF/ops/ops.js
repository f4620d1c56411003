// The ops page: the rooms and their peers, refreshed every few seconds from the admin API next to this page, with
// kick, lock/unlock and close, and the headline metrics. Everything a client chose (room names, display names) is
// put in the page as text, never as markup.

const REFRESH_MS = 3000;
// The API's base: this page's own path, made absolute without the credentials a URL may carry (fetch refuses those).
const base = new URL(location.pathname.endsWith('/') ? location.pathname : location.pathname + '/', location.origin);

const $ = (selector) => document.querySelector(selector);

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

function button(label, action, className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (className) b.className = className;
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await action();
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

function since(iso) {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleTimeString();
}

async function post(path, body) {
  const response = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' }, // the API refuses anything else: no other site's form can act
    body: body === undefined ? '' : JSON.stringify(body),
  });
  if (!response.ok && response.status !== 404) {
    throw new Error(`${path}: ${response.status}`);
  }
  await refresh();
}

const encode = encodeURIComponent;

function roomRows(room) {
  const body = document.createElement('tbody');
  body.dataset.room = room.room;
  const head = document.createElement('tr');
  head.className = 'room';
  const name = cell(room.room);
  if (room.locked) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'locked';
    name.append(badge);
  }
  head.append(name, cell(`${room.peers.length} of ${room.capacity}`), cell(since(room.createdAt)), cell(''));
  const actions = cell('', 'actions');
  actions.append(
    room.locked
      ? button('Unlock', () => post(`rooms/${encode(room.room)}/unlock`), 'unlock')
      : button('Lock', () => post(`rooms/${encode(room.room)}/lock`), 'lock'),
    button('Close', () => post(`rooms/${encode(room.room)}/close`), 'danger close'),
  );
  head.append(actions);
  body.append(head);
  for (const peer of room.peers) {
    const row = document.createElement('tr');
    row.className = 'peer';
    row.dataset.peer = peer.peerId;
    const who = peer.userId ? `${peer.displayName || '(no name)'} · ${peer.userId}` : peer.displayName || '(no name)';
    const kick = cell('', 'actions');
    kick.append(button('Kick', () => post(`rooms/${encode(room.room)}/peers/${encode(peer.peerId)}/kick`), 'danger kick'));
    row.append(cell(peer.peerId), cell(who), cell(since(peer.joinedAt)), cell(peer.remoteAddress ?? 'unknown'), kick);
    body.append(row);
  }
  return body;
}

function showRooms(rooms) {
  const table = $('#rooms');
  table.querySelectorAll('tbody').forEach((body) => body.remove());
  for (const room of rooms) {
    table.append(roomRows(room));
  }
  table.hidden = rooms.length === 0;
  $('#no-rooms').hidden = rooms.length !== 0;
}

/** Sums the samples of each metric family in Prometheus text: name → total over its labels. */
function totals(text) {
  const sums = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = line.match(/^[A-Za-z_:][A-Za-z0-9_:]*/)[0];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    sums.set(name, (sums.get(name) ?? 0) + value);
  }
  return sums;
}

function showMetrics(text) {
  const sums = totals(text);
  const show = (id, name) => { $(id).textContent = (sums.get(name) ?? 0).toLocaleString(); };
  show('#m-connections', 'rendezvous_connections');
  show('#m-rooms', 'rendezvous_rooms');
  show('#m-peers', 'rendezvous_room_peers');
  show('#m-relayed', 'rendezvous_messages_relayed_total');
  show('#m-errors', 'rendezvous_errors_total');
  $('#m-dropped').textContent = (totals(text.split('\n').filter((l) => l.includes('outcome="dropped"')).join('\n'))
    .get('rendezvous_webhook_deliveries_total') ?? 0).toLocaleString();
}

async function refresh() {
  const status = $('#updated');
  try {
    const [rooms, metrics] = await Promise.all([
      fetch(new URL('rooms', base)).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`rooms: ${r.status}`)))),
      fetch(new URL('metrics', base)).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`metrics: ${r.status}`)))),
    ]);
    showRooms(rooms);
    showMetrics(metrics);
    status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    status.classList.remove('error');
  } catch (failure) {
    status.textContent = `Could not update: ${failure.message}`;
    status.classList.add('error');
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
