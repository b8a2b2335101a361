package dev.berth.l2.election;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rendezvous hashing of IPs onto nodes, as MetalLB's layer-2 speaker does: for one IP, every
 * eligible node gets a score {@code hash(node, IP)}, and the node with the lowest score owns the IP. The answer
 * depends only on the IP and the set of eligible nodes, so every node that sees the same view computes the same
 * owner without talking to the others, and a node leaving moves only the IPs it owned.
 *
 * <p>Where it sits: membership says who is alive, the appliance narrows that per IP to the eligible nodes
 * (advertisement node selectors, Ready, endpoints for {@code externalTrafficPolicy: Local}), this class picks the
 * owner, and the node announces {@link #ownedBy what it owns}. Several Services sharing one IP are one IP here.
 *
 * <p>The score is the first 64 bits (big-endian, compared unsigned) of SHA-256 over
 * {@code [4 or 6][the address's 4 or 16 raw bytes][the node name in UTF-8]}. Why this and not something faster:
 * it is specified by a standard, so it is the same on every JVM, version and platform (unlike
 * {@code String.hashCode} or a seeded hash), and it is well mixed, so IPs spread evenly. Raw address bytes rather
 * than text, because Java prints IPv6 uncompressed and Go compressed: the text form is not canonical. The family
 * byte comes first and the address has a fixed length per family, so no two (node, IP) pairs share an input. The
 * ordering therefore differs from MetalLB's (which hashes {@code node + "#" + ip} text); only Berth nodes take part
 * in a Berth election. Equal scores (chance 2<sup>-64</sup>) fall back to the node name so the order stays total.
 *
 * <p>Example: eligible {a, b, c} for 192.0.2.10; if the scores rank b, c, a then b owns it; b dies → c owns it,
 * and an IP owned by a stays on a.
 */
public final class Election {

    private Election() {}

    /** The node that answers for {@code ip}: the eligible node with the lowest score; empty when none is eligible. */
    public static Optional<String> owner(InetAddress ip, Collection<String> eligibleNodes) {
        return owner(sha256(), ip, eligibleNodes);
    }

    /**
     * Every eligible node for {@code ip}, best first: the owner, then who takes over if it goes, and so on. Duplicates
     * in the input appear once.
     */
    public static List<String> ranking(InetAddress ip, Collection<String> eligibleNodes) {
        requireNonNull(ip, "ip");
        MessageDigest sha = sha256();
        byte[] address = ip.getAddress();
        return eligibleNodes.stream()
                .distinct()
                .map(node -> new Scored(node, score(sha, node, address)))
                .sorted()
                .map(Scored::node)
                .toList();
    }

    /**
     * The owner of every IP that has at least one eligible node (an IP with none is absent from the result, as
     * nobody may announce it). The result is unmodifiable and iterates in the input's order.
     */
    public static Map<InetAddress, String> owners(Map<InetAddress, ? extends Collection<String>> eligiblePerIp) {
        MessageDigest sha = sha256();
        Map<InetAddress, String> owners = new LinkedHashMap<>();
        eligiblePerIp.forEach((ip, nodes) -> owner(sha, ip, nodes).ifPresent(node -> owners.put(ip, node)));
        return Collections.unmodifiableMap(owners);
    }

    /** The IPs {@code node} must announce: those whose owner it is. What a node hands to its announcer. */
    public static Set<InetAddress> ownedBy(String node, Map<InetAddress, ? extends Collection<String>> eligiblePerIp) {
        requireNonNull(node, "node");
        return owners(eligiblePerIp).entrySet().stream()
                .filter(entry -> entry.getValue().equals(node))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The score of {@code node} for {@code ip}: lower wins. Exposed for tests and diagnostics. */
    static long score(String node, InetAddress ip) {
        return score(sha256(), node, ip.getAddress());
    }

    private static Optional<String> owner(MessageDigest sha, InetAddress ip, Collection<String> eligibleNodes) {
        requireNonNull(ip, "ip");
        byte[] address = ip.getAddress();
        Scored best = null;
        for (String node : eligibleNodes) {
            Scored candidate = new Scored(node, score(sha, node, address));
            if (best == null || candidate.compareTo(best) < 0) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best).map(Scored::node);
    }

    private static long score(MessageDigest sha, String node, byte[] address) {
        requireNonNull(node, "node");
        sha.reset();
        sha.update((byte) (address.length == 4 ? 4 : 6));
        sha.update(address);
        sha.update(node.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (java.security.MessageDigest's contract).
            throw new IllegalStateException(e);
        }
    }

    private record Scored(String node, long score) implements Comparable<Scored> {

        private static final Comparator<Scored> ORDER = Comparator
                .comparing(Scored::score, Long::compareUnsigned)
                .thenComparing(Scored::node);

        @Override
        public int compareTo(Scored other) {
            return ORDER.compare(this, other);
        }
    }
}
