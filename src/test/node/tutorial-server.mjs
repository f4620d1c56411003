// The beginner tutorial's signaling server, as Java teams would otherwise run it next to their app server: each socket
// gets an id on {"action":"start"}; offer, answer and iceCandidate are relayed to data.remoteId with remoteId replaced
// by the sender's id. It is the baseline the benchmark compares Rendezvous against (README, "Performance"):
//
//   npm ci --prefix src/test/node && node src/test/node/tutorial-server.mjs        (listens on 127.0.0.1:8090)
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 8090);
const relayed = new Set(['offer', 'answer', 'iceCandidate']);
const sockets = new Map();

new WebSocketServer({ host: '127.0.0.1', port }).on('connection', (socket) => {
  let id;
  socket.on('message', (text) => {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const { action, data } = message;
    if (action === 'start') {
      id = randomUUID();
      sockets.set(id, socket);
      socket.send(JSON.stringify({ action: 'start', id }));
    } else if (relayed.has(action) && id && data?.remoteId) {
      sockets.get(data.remoteId)?.send(JSON.stringify({ action, data: { ...data, remoteId: id } }));
    }
  });
  socket.on('close', () => sockets.delete(id));
});
console.log(`tutorial signaling server on ws://127.0.0.1:${port}`);
