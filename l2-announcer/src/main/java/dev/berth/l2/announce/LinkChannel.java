package dev.berth.l2.announce;

import java.io.IOException;
import java.net.Inet6Address;
import java.time.Duration;

/**
 * Raw frames on one interface, as the announcer uses them: {@link PacketChannel} over an AF_PACKET socket in
 * production, an in-memory queue in tests.
 */
public interface LinkChannel extends AutoCloseable {

    Link link();

    /** One frame into {@code buffer}: its length, or -1 if none came within {@code timeout}. */
    int receive(byte[] buffer, Duration timeout) throws IOException;

    void send(byte[] frame) throws IOException;

    /**
     * Receive frames sent to this IPv6 multicast group (the solicited-node group of an owned address) and tell
     * the LAN so; joins are counted, as two addresses can share a group.
     */
    void joinGroup(Inet6Address group) throws IOException;

    /** Undo one {@link #joinGroup}. */
    void leaveGroup(Inet6Address group) throws IOException;

    @Override
    void close() throws IOException;
}
