package dev.berth.l2.announce;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the receive loops did with each frame, for metrics and for tests that ask "was it seen?". */
public final class AnnouncerStats {

    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private final LongAdder replies = new LongAdder();
    private final LongAdder announcements = new LongAdder();

    AnnouncerStats() {
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, new LongAdder());
        }
    }

    void dropped(DropReason reason) {
        drops.get(reason).increment();
    }

    void replied() {
        replies.increment();
    }

    void announced() {
        announcements.increment();
    }

    public long drops(DropReason reason) {
        return drops.get(reason).sum();
    }

    public long replies() {
        return replies.sum();
    }

    /** Unsolicited frames sent (gratuitous ARP, unsolicited NA), bursts and refreshes together. */
    public long announcements() {
        return announcements.sum();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("replies=").append(replies.sum())
                .append(" announcements=").append(announcements.sum());
        drops.forEach((reason, count) -> {
            if (count.sum() > 0) {
                text.append(' ').append(reason).append('=').append(count.sum());
            }
        });
        return text.toString();
    }
}
