package dev.berth.proxy.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The transport chosen at start, with why {@code auto} preferred it and the reasons each preferred one was passed
 * over, so that the log line can say why a node runs on io_uring rather than epoll, or on NIO.
 *
 * @param transport the transport in use
 * @param passedOver one line per preferred transport not taken: its name and the cause Netty gives,
 *     {@code "epoll: …"}
 * @param preferredBecause why {@code auto} put io_uring first (the mitigation that makes kernel entries dear); empty
 *     where epoll came first or the transport was named
 */
public record TransportChoice(Transport transport, List<String> passedOver, Optional<String> preferredBecause) {

    public TransportChoice {
        Objects.requireNonNull(transport, "transport");
        passedOver = List.copyOf(passedOver);
        Objects.requireNonNull(preferredBecause, "preferredBecause");
    }

    /** A transport named, not chosen by {@code auto}. */
    public TransportChoice(Transport transport, List<String> passedOver) {
        this(transport, passedOver, Optional.empty());
    }

    /**
     * Picks a transport. {@code "auto"} takes the first available one in the order of preference for this host's kernel
     * ({@link Transport#preferred}: io_uring first where kernel entries are dear, {@link KernelEntryCost}); a named
     * transport is taken if available and refused with its cause if not, since silently running on another would hide
     * a broken host.
     *
     * @param preference {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
     * @throws IllegalArgumentException for an unknown name or an unavailable named transport
     */
    public static TransportChoice choose(String preference) {
        Objects.requireNonNull(preference, "preference");
        if (preference.equals("auto")) {
            return choosePreferred(KernelEntryCost.ofThisHost(), Transport::unavailabilityCause);
        }
        Transport wanted = parse(preference);
        wanted.unavailabilityCause().ifPresent(cause -> {
            throw new IllegalArgumentException("transport " + wanted + " is not available here: " + cause
                    + " (expected: auto, or one of " + available() + ")");
        });
        return new TransportChoice(wanted, List.of());
    }

    /**
     * {@code auto}'s choice, given the mitigation that makes kernel entries dear (if any) and why each transport cannot
     * be used here (empty where it can).
     */
    static TransportChoice choosePreferred(Optional<String> dearEntry,
            Function<Transport, Optional<String>> unavailability) {
        List<String> passedOver = new ArrayList<>();
        for (Transport candidate : Transport.preferred(dearEntry.isPresent())) {
            var cause = unavailability.apply(candidate);
            if (cause.isEmpty()) {
                return new TransportChoice(candidate, passedOver, candidate == Transport.IO_URING ? dearEntry : Optional.empty());
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
        List<String> reasons = new ArrayList<>();
        preferredBecause.ifPresent(mitigation -> reasons.add("first where kernel entries are dear: " + mitigation));
        if (!passedOver.isEmpty()) {
            reasons.add("passed over " + String.join("; ", passedOver));
        }
        return reasons.isEmpty() ? transport.toString() : transport + " (" + String.join("; ", reasons) + ")";
    }
}
