package dev.berth.l2.announce;

import java.util.Objects;

/** What a responder decided about one received frame: send this reply, or drop it for a named reason. */
public sealed interface Verdict {

    /** A complete Ethernet frame to send back on the receiving interface. Compared by identity, like arrays. */
    record Reply(byte[] frame) implements Verdict {
        public Reply {
            Objects.requireNonNull(frame, "frame");
        }
    }

    record Drop(DropReason reason) implements Verdict {
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Verdict drop(DropReason reason) {
        return new Drop(reason);
    }
}
