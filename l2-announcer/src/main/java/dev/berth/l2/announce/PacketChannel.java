package dev.berth.l2.announce;

import dev.berth.l2.ffm.Ipv6GroupSocket;
import dev.berth.l2.ffm.PacketSocket;
import dev.berth.l2.frame.Ipv6Multicast;
import java.io.IOException;
import java.net.Inet6Address;
import java.time.Duration;

/**
 * The production {@link LinkChannel}: an AF_PACKET socket that only hears ARP and neighbour solicitations, plus
 * an IPv6 socket whose group memberships make the kernel send MLD reports for the VIPs' solicited-node groups.
 */
public final class PacketChannel implements LinkChannel {

    private static final System.Logger LOG = System.getLogger(PacketChannel.class.getName());

    private final PacketSocket socket;
    private final Ipv6GroupSocket groups;
    private final Link link;

    private PacketChannel(PacketSocket socket, Ipv6GroupSocket groups) {
        this.socket = socket;
        this.groups = groups;
        this.link = new Link(socket.interfaceName(), socket.interfaceIndex(), socket.mac());
    }

    /** Needs root or CAP_NET_RAW; acts in the calling thread's network namespace. */
    public static PacketChannel open(String interfaceName) throws IOException {
        PacketSocket socket = PacketSocket.open(interfaceName, NeighborQuestionFilter.PROGRAM);
        try {
            return new PacketChannel(socket, Ipv6GroupSocket.open(interfaceName, socket.interfaceIndex()));
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public Link link() {
        return link;
    }

    @Override
    public int receive(byte[] buffer, Duration timeout) throws IOException {
        return socket.receive(buffer, timeout);
    }

    @Override
    public void send(byte[] frame) throws IOException {
        socket.send(frame);
    }

    /**
     * The packet socket's own membership is what lets the frames through the NIC's filter; the MLD join is what
     * brings them across snooping switches. It can fail where IPv6 is disabled on the link, which costs only the
     * MLD report, so it is logged rather than thrown.
     */
    @Override
    public void joinGroup(Inet6Address group) throws IOException {
        socket.joinMulticast(Ipv6Multicast.mac(group));
        try {
            groups.join(group);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "no MLD report for " + group.getHostAddress() + " on " + link.name()
                    + " (snooping switches may not forward its solicitations): " + e.getMessage());
        }
    }

    @Override
    public void leaveGroup(Inet6Address group) throws IOException {
        socket.leaveMulticast(Ipv6Multicast.mac(group));
        try {
            groups.leave(group);
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "leaving " + group.getHostAddress() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        try (groups) {
            socket.close();
        }
    }
}
