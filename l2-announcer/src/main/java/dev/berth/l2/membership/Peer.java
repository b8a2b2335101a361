package dev.berth.l2.membership;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the static peer list ({@code --peers HOST[:PORT],…}): where another node's membership transport
 * listens. Kept as text, not resolved, so that parsing does no I/O; {@link JGroupsMembership} resolves it at start.
 *
 * <p>Accepted: {@code 192.0.2.12}, {@code 192.0.2.12:7800}, {@code node2.example:7800}, {@code [2001:db8::12]:7800},
 * and a bare IPv6 literal {@code 2001:db8::12} (which then has no port part).
 */
public record Peer(String host, int port) {

    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.%\\w]+)](?::(\\d{1,5}))?");
    private static final Pattern HOST_AND_PORT = Pattern.compile("([A-Za-z0-9.-]+)(?::(\\d{1,5}))?");
    private static final String EXPECTED = "(expected: HOST[:PORT], e.g. 192.0.2.12:7800 or [2001:db8::12]:7800)";

    public Peer {
        requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("peers: host '" + host + "' " + EXPECTED);
        }
        checkPort(port, host + ":" + port);
    }

    /** Parses {@code HOST[:PORT]}; a missing port is {@code defaultPort}. Errors name the field and the entry. */
    public static Peer parse(String text, int defaultPort) {
        requireNonNull(text, "text");
        String entry = text.strip();
        Matcher bracketed = BRACKETED.matcher(entry);
        if (bracketed.matches()) {
            return new Peer(bracketed.group(1), port(bracketed.group(2), defaultPort, entry));
        }
        if (entry.chars().filter(c -> c == ':').count() > 1) {
            // Two colons or more can only be an unbracketed IPv6 literal, which leaves no room for a port.
            return new Peer(entry, defaultPort);
        }
        Matcher hostAndPort = HOST_AND_PORT.matcher(entry);
        if (!hostAndPort.matches()) {
            throw new IllegalArgumentException("peers: '" + text + "' " + EXPECTED);
        }
        return new Peer(hostAndPort.group(1), port(hostAndPort.group(2), defaultPort, entry));
    }

    private static int port(String digits, int defaultPort, String entry) {
        if (digits == null) {
            return defaultPort;
        }
        int port = Integer.parseInt(digits);
        checkPort(port, entry);
        return port;
    }

    private static void checkPort(int port, String entry) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("peers: '" + entry + "' (expected: PORT in 1..65535)");
        }
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
