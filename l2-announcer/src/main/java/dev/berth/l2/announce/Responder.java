package dev.berth.l2.announce;

import java.net.InetAddress;
import java.util.Set;

/**
 * Answers one kind of neighbour question (ARP or NDP) for the addresses this node owns. Pure: the receive loop
 * gives it a frame and sends whatever reply comes back.
 */
public interface Responder {

    /**
     * @param frame the received bytes; only the first {@code length} count
     * @param link the interface the frame arrived on
     * @param owned the addresses this node answers for on {@code link} at this moment
     */
    Verdict respond(byte[] frame, int length, Link link, Set<InetAddress> owned);
}
