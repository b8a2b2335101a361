package dev.berth.l2.announce;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.Decoded;
import dev.berth.l2.frame.Ethernet;
import dev.berth.l2.frame.MacAddress;
import dev.berth.l2.frame.NdpFrame;
import dev.berth.l2.frame.NdpMessage.NeighborAdvertisement;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Another node saying that it answers for an address now: a gratuitous ARP (request or reply), an ARP reply (to
 * us: the answer to a probe) or a neighbour advertisement, from a MAC that is not ours. The receive loop hands these
 * to {@link Announcer#onClaim}, so that a node handing an address over keeps answering until the new owner starts,
 * and stops the moment it does.
 *
 * <p>Example: node b takes 192.0.2.10 and sends its burst; node a, still answering for it, hears
 * "who-has 192.0.2.10 tell 192.0.2.10" from b's MAC: a claim of 192.0.2.10.
 */
final class Claims {

    private Claims() {}

    /** The address {@code frame} claims for another MAC than {@code ours}; empty for anything else. */
    static Optional<InetAddress> of(byte[] frame, int length, MacAddress ours) {
        if (length < Ethernet.HEADER_LENGTH) {
            return Optional.empty();
        }
        if (Ethernet.etherType(frame) == Ethernet.TYPE_ARP) {
            if (ArpFrame.decode(frame, length) instanceof Decoded.Frame<ArpFrame>(ArpFrame arp)
                    && !arp.ethernetSource().equals(ours) && (arp.isGratuitous() || arp.operation() == ArpFrame.REPLY)
                    && !arp.senderIp().isAnyLocalAddress()) {
                return Optional.of(arp.senderIp());
            }
            return Optional.empty();
        }
        if (NdpFrame.decode(frame, length) instanceof Decoded.Frame<NdpFrame>(NdpFrame ndp)
                && !ndp.ethernetSource().equals(ours) && ndp.message() instanceof NeighborAdvertisement advertisement) {
            return Optional.of(advertisement.target());
        }
        return Optional.empty();
    }
}
