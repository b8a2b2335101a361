package dev.berth.proxy.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The transport chosen at start, with the reasons each preferred one was passed over, so that the log line and
 * {@code /api/overview} can say why a node runs on NIO rather than epoll.
 *
 * @param transport the transport in use
 * @param passedOver one line per preferred transport not taken: its name and the cause Netty gives, {@code "epoll: …"}
 */
public record TransportChoice(Transport transport, List<String> passedOver) {

    public TransportChoice {
        Objects.requireNonNull(transport, "transport");
        passedOver = List.copyOf(passedOver);
    }

    /**
     * Picks a transport. {@code "auto"} takes the first available one in {@link Transport}'s order of preference; a named transport is taken if
     * available and refused with its cause if not, since silently running on another would hide a broken host.
     *
     * @param preference {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
     * @throws IllegalArgumentException for an unknown name or an unavailable named transport
     */
    public static TransportChoice choose(String preference) {
        Objects.requireNonNull(preference, "preference");
        if (preference.equals("auto")) {
            return choosePreferred();
        }
        Transport wanted = parse(preference);
        wanted.unavailabilityCause().ifPresent(cause -> {
            throw new IllegalArgumentException("transport " + wanted + " is not available here: " + cause
                    + " (expected: auto, or one of " + available() + ")");
        });
        return new TransportChoice(wanted, List.of());
    }

    private static TransportChoice choosePreferred() {
        List<String> passedOver = new ArrayList<>();
        for (Transport candidate : Transport.values()) {
            var cause = candidate.unavailabilityCause();
            if (cause.isEmpty()) {
                return new TransportChoice(candidate, passedOver);
            }
            passedOver.add(candidate + ": " + cause.get());
        }
        throw new AssertionError("NIO is always available");
    }

    private static Transport parse(String name) {
        for (Transport transport : Transport.values()) {
            if (transport.cliName().equals(name)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("transport '" + name + "' (expected: auto, epoll, io_uring or nio)");
    }

    private static List<Transport> available() {
        return java.util.Arrays.stream(Transport.values()).filter(t -> t.unavailabilityCause().isEmpty()).toList();
    }

    /** One line for the start-up log. */
    public String describe() {
        return passedOver.isEmpty() ? transport.toString() : transport + " (passed over " + String.join("; ", passedOver) + ")";
    }
}
