package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.Sequenced;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Sends;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session's mailbox handing its frames over to another node of a cluster, and one taking them up there. */
class MailboxTest {

    private static Frame closed(String room) {
        return Frame.of(new ServerMessage.RoomClosed(new RoomName(room)));
    }

    @Test
    void aHandOverGivesTheFramesAfterLastSeqOldestFirstAndForwardsWhatComesAfterThem() {
        var mailbox = new Mailbox(16, 65_536, () -> { });
        var sends = new Sends();
        mailbox.offer(closed("a"), sends);
        mailbox.offer(closed("b"), sends);
        mailbox.offer(closed("c"), sends);
        var forwarded = new ArrayList<String>();
        var handed = new ArrayList<String>();

        assertTrue(mailbox.handOver(1, (frame, later) -> forwarded.add(frame.json()), frames -> {
            handed.addAll(frames);
            assertEquals(List.of(), forwarded, "what was kept goes first");
        }));
        mailbox.offer(closed("d"), sends);

        assertEquals(List.of(closed("b").json(), closed("c").json()), handed, "unnumbered: the taker numbers them on");
        assertEquals(List.of(closed("d").json()), forwarded);
    }

    @Test
    void aHandOverFromBeforeWhatIsStillKeptIsRefusedAndChangesNothing() {
        var mailbox = new Mailbox(16, 65_536, () -> { });
        var sends = new Sends();
        mailbox.attach(new Outbox(new FakeLink(), 1_024, 1 << 20, Runnable::run, () -> { }, failure -> { }), 0, null, sends);
        for (var i = 0; i < 20; i++) { // while carried, the oldest frames beyond 16 are dropped
            mailbox.offer(closed("r" + i), sends);
        }
        var called = new AtomicBoolean();

        assertFalse(mailbox.handOver(2, (frame, later) -> called.set(true), frames -> called.set(true)));
        assertFalse(called.get());
    }

    /** What a mailbox keeps in the cluster's store, as the store would be told it. */
    private static final class Store implements Mailbox.Safekeeping {
        final List<String> told = new ArrayList<>();

        @Override
        public void detached(long sent, List<Sequenced> kept) {
            told.add("detached " + sent + " " + kept.stream().map(entry -> entry.seq() + "").toList());
        }

        @Override
        public void kept(Sequenced entry) {
            told.add("kept " + entry.seq());
        }

        @Override
        public void carried() {
            told.add("carried");
        }
    }

    @Test
    void aDetachedSessionsFramesAreKeptInTheStoreTooInOrderUntilAConnectionCarriesItAgain() {
        var mailbox = new Mailbox(16, 65_536, () -> { });
        var sends = new Sends();
        var outbox = new Outbox(new FakeLink(), 1_024, 1 << 20, Runnable::run, () -> { }, failure -> { });
        mailbox.attach(outbox, 0, null, sends);
        mailbox.offer(closed("a"), sends);
        mailbox.offer(closed("b"), sends);
        mailbox.acknowledge(1);
        var store = new Store();

        mailbox.detach(outbox, store);
        mailbox.offer(closed("c"), sends);
        mailbox.attach(new Outbox(new FakeLink(), 1_024, 1 << 20, Runnable::run, () -> { }, failure -> { }), 2, null, sends);
        mailbox.offer(closed("d"), sends);

        assertEquals(List.of("detached 2 [2]", "kept 3", "carried"), store.told, "nothing more once carried again");
    }

    @Test
    void aMailboxDetachedFromAConnectionThatNoLongerCarriesItKeepsNothingElsewhere() {
        var mailbox = new Mailbox(16, 65_536, () -> { });
        var sends = new Sends();
        var first = new Outbox(new FakeLink(), 1_024, 1 << 20, Runnable::run, () -> { }, failure -> { });
        mailbox.attach(first, 0, null, sends);
        mailbox.attach(new Outbox(new FakeLink(), 1_024, 1 << 20, Runnable::run, () -> { }, failure -> { }), 0, null, sends);
        var store = new Store();

        mailbox.detach(first, store); // a resume took the session up on another connection first
        mailbox.offer(closed("a"), sends);

        assertEquals(List.of(), store.told);
    }

    @Test
    void aMailboxTakenOverNumbersOnFromWhereTheOtherNodeLeftOff() {
        var mailbox = new Mailbox(16, 65_536, () -> { }, 5);
        var sends = new Sends();
        mailbox.offer(closed("e"), sends);
        assertEquals(5, mailbox.lastSeq());
    }
}
