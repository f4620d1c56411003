// One WebRTC connection to one remote peer, negotiated with the "perfect negotiation" pattern:
// either side may (re)negotiate at any time; when both offer at once, the polite side yields.

/**
 * @typedef {object} CallOptions
 * @property {string} peerId                the remote peer
 * @property {boolean} polite               our role in this pair (the server's `polite` flags decide it)
 * @property {boolean} initiator            whether we make the first offer (the room's newcomer does)
 * @property {RTCIceServer[]} iceServers    from the server's welcome
 * @property {MediaStream|null} localStream our camera and microphone, or null to only receive
 * @property {MediaStreamTrack|null} [videoTrack] the video to send instead of the camera's (a shared screen)
 * @property {(action: string, data: object) => void} signal  sends a negotiation message to the peer
 * @property {(stream: MediaStream) => void} onStream         the remote media arrived
 * @property {(state: RTCPeerConnectionState) => void} onState
 */

export class Call {
  /** @param {CallOptions} options */
  constructor({ peerId, polite, initiator, iceServers, localStream, videoTrack = null, signal, onStream, onState }) {
    this.peerId = peerId;
    this.polite = polite;
    this.signal = signal;
    this.localStream = localStream;
    /** what goes out as our video once tracks are added: the camera's, unless a screen is shared */
    this.videoTrack = videoTrack;
    this.pc = new RTCPeerConnection({ iceServers });
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswer = false;
    /** relayed messages are applied one after another, in the order they arrived */
    this.inbox = Promise.resolve();
    this.tracksAdded = false;
    /** candidates that came before the remote description they belong to */
    this.earlyCandidates = [];

    this.pc.onnegotiationneeded = () => this.offer();
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) {
        this.signal('candidate', { candidate: candidate.toJSON() });
      } else {
        this.signal('end-of-candidates', {});
      }
    };
    this.pc.ontrack = ({ streams: [stream] }) => stream && onStream(stream);
    this.pc.onconnectionstatechange = () => onState(this.pc.connectionState);

    if (initiator) {
      this.addLocalTracks(); // fires negotiationneeded: we offer
    }
  }

  /** Takes fresh ICE servers (new TURN credentials), so that a later ICE restart still authenticates. */
  useIceServers(iceServers) {
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
  }

  /**
   * Handles one relayed message from the peer, after every message before it: perfect negotiation assumes descriptions
   * and candidates are applied in order, and each step here awaits the browser.
   * @returns {Promise<void>} settles when this message has been applied
   */
  receive(action, data) {
    const applied = this.inbox.then(() => this.apply(action, data));
    this.inbox = applied.catch(() => {}); // a failed step must not block the ones after it
    return applied;
  }

  async apply(action, data) {
    switch (action) {
      case 'offer':
      case 'answer':
        return this.describe(data.description);
      case 'candidate':
        return this.addCandidate(data.candidate);
      case 'renegotiate':
        return this.offer();
      default:
        return undefined; // end-of-candidates needs nothing; hangup is the room's business
    }
  }

  /**
   * Swaps the outgoing video (camera, screen) without renegotiating. A call whose tracks are not added yet (the side
   * that answers adds them with its answer) sends this one when they are.
   */
  async replaceVideo(track) {
    this.videoTrack = track;
    await this.videoSender?.replaceTrack(track);
  }

  close() {
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  // ---- perfect negotiation ----

  async offer() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.signal('offer', { description: this.pc.localDescription.toJSON() });
    } catch (error) {
      console.warn(`offer to ${this.peerId} failed`, error);
    } finally {
      this.makingOffer = false;
    }
  }

  async describe(description) {
    // an offer is welcome unless we are making one, or are mid-negotiation (applying an answer does not count)
    const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
    const collision = description.type === 'offer' && !readyForOffer;
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) {
      return; // the impolite side keeps its own offer; the polite peer will answer it
    }
    this.settingRemoteAnswer = description.type === 'answer';
    try {
      await this.pc.setRemoteDescription(description); // rolls back our own offer if we are polite and collided
    } finally {
      this.settingRemoteAnswer = false;
    }
    await this.flushEarlyCandidates();
    if (description.type === 'offer') {
      this.addLocalTracks(); // the answerer's media rides along in the answer
      await this.pc.setLocalDescription();
      this.signal('answer', { description: this.pc.localDescription.toJSON() });
    }
  }

  async addCandidate(candidate) {
    if (!this.pc.remoteDescription) {
      this.earlyCandidates.push(candidate);
      return;
    }
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (error) {
      if (!this.ignoreOffer) {
        console.warn(`candidate from ${this.peerId} refused`, error);
      }
    }
  }

  async flushEarlyCandidates() {
    const early = this.earlyCandidates.splice(0);
    for (const candidate of early) {
      await this.addCandidate(candidate);
    }
  }

  addLocalTracks() {
    if (this.tracksAdded) {
      return;
    }
    this.tracksAdded = true;
    if (this.localStream) {
      for (const track of this.localStream.getTracks()) {
        if (track.kind === 'video') {
          this.videoSender = this.pc.addTrack(this.videoTrack ?? track, this.localStream);
        } else {
          this.pc.addTrack(track, this.localStream);
        }
      }
    } else {
      // no camera or microphone: still ask for the peer's media
      this.pc.addTransceiver('audio', { direction: 'recvonly' });
      this.pc.addTransceiver('video', { direction: 'recvonly' });
    }
  }
}
