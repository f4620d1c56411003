// A 1:1 call in the seed protocol, the message shapes of the popular beginner tutorial exactly:
// {"action":"start"} → {"action":"start","id"}, then offer / answer / iceCandidate with data.remoteId.
// It shows that a tutorial client works against Rendezvous unchanged.
import { signalUrl } from './rendezvous.js';

const $ = (selector) => document.querySelector(selector);
const socket = new WebSocket(signalUrl());
const call = { pc: null, remoteId: null, localStream: null, queued: [] };
window.tutorial = call; // for the browser tests

const send = (action, data) => socket.send(JSON.stringify(data ? { action, data } : { action }));
const status = (text) => { $('#status').textContent = text; };

socket.onopen = () => send('start');
socket.onclose = () => status('Disconnected from the server. Reload to reconnect.');
socket.onmessage = async ({ data }) => {
  const message = JSON.parse(data);
  switch (message.action) {
    case 'start':
      $('#my-id').textContent = message.id;
      break;
    case 'offer':
      await answer(message.data.remoteId, message.data.offer);
      break;
    case 'answer':
      await call.pc.setRemoteDescription(message.data.answer);
      await flushCandidates();
      break;
    case 'iceCandidate':
      await addCandidate(message.data.candidate);
      break;
    case 'error':
      status(`The server refused that: ${message.data.message}`);
      break;
    default:
      break;
  }
};

$('#call-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  await connectTo($('#remote-id').value.trim());
  const offer = await call.pc.createOffer();
  await call.pc.setLocalDescription(offer);
  send('offer', { remoteId: call.remoteId, offer });
  status('Calling…');
});

async function answer(remoteId, offer) {
  await connectTo(remoteId);
  await call.pc.setRemoteDescription(offer);
  await flushCandidates();
  const reply = await call.pc.createAnswer();
  await call.pc.setLocalDescription(reply);
  send('answer', { remoteId, answer: reply });
}

async function connectTo(remoteId) {
  call.localStream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  $('#local-video').srcObject = call.localStream;
  call.remoteId = remoteId;
  call.pc?.close(); // a new call replaces the last one, which must not keep its connection and camera sender
  call.queued = [];
  call.pc = new RTCPeerConnection();
  call.localStream.getTracks().forEach((track) => call.pc.addTrack(track, call.localStream));
  call.pc.onicecandidate = ({ candidate }) => candidate && send('iceCandidate', { remoteId, candidate });
  call.pc.ontrack = ({ streams: [stream] }) => { $('#remote-video').srcObject = stream; };
  call.pc.onconnectionstatechange = () => status(`Call ${call.pc.connectionState}`);
}

async function addCandidate(candidate) {
  if (!call.pc?.remoteDescription) {
    call.queued.push(candidate); // it came before the description it belongs to
    return;
  }
  await call.pc.addIceCandidate(candidate);
}

async function flushCandidates() {
  for (const candidate of call.queued.splice(0)) {
    await call.pc.addIceCandidate(candidate);
  }
}
