package dev.berth.l2.allocator;

import java.util.List;

/** The outcome of one placement decision inside the allocator, before anything is recorded. */
sealed interface Attempt {

    /** These addresses of this pool would serve the request. */
    record Chosen(PoolTable.Entry pool, List<Ip> ips) implements Attempt {
        public Chosen {
            ips = List.copyOf(ips);
        }
    }

    /** No placement; {@code problem} says what was expected. */
    record Refused(String problem) implements Attempt {}
}
