package dev.berth.l2.announce;

import dev.berth.l2.frame.MacAddress;
import java.util.Objects;

/** The interface a frame arrived on, as the responders need it: replies carry its MAC. */
public record Link(String name, int index, MacAddress mac) {

    public Link {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        if (index <= 0) {
            throw new IllegalArgumentException("interface index: " + index + " (expected: > 0)");
        }
    }
}
