package dev.berth.l2.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An IPv6 datagram socket that sends and receives nothing: it only holds multicast memberships on one interface,
 * so that the kernel announces them with MLD reports. MLD-snooping switches forward a solicited-node group only
 * to ports that reported it, and the kernel reports groups only for addresses it has itself; a VIP that lives in
 * user space needs this socket to be asked about at all. The memberships end with the socket, also on SIGKILL.
 */
public final class Ipv6GroupSocket implements AutoCloseable {

    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_ADD_MEMBERSHIP = 20;
    private static final int IPV6_DROP_MEMBERSHIP = 21;

    private final int fd;
    private final String interfaceName;
    private final int interfaceIndex;
    // The kernel refuses a second join of one group on one socket; two VIPs can share a solicited-node group.
    private final Map<Inet6Address, Integer> joins = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Ipv6GroupSocket(int fd, String interfaceName, int interfaceIndex) {
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
    }

    public static Ipv6GroupSocket open(String interfaceName, int interfaceIndex) throws IOException {
        int fd = Libc.socket("socket(AF_INET6, SOCK_DGRAM)", AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        return new Ipv6GroupSocket(fd, interfaceName, interfaceIndex);
    }

    public synchronized void join(Inet6Address group) throws IOException {
        int count = joins.getOrDefault(group, 0);
        if (count == 0) {
            membership(IPV6_ADD_MEMBERSHIP, "IPV6_ADD_MEMBERSHIP", group);
        }
        joins.put(group, count + 1);
    }

    public synchronized void leave(Inet6Address group) throws IOException {
        int count = joins.getOrDefault(group, 0);
        if (count == 0) {
            throw new IllegalStateException("group " + group.getHostAddress() + " on " + interfaceName + ": not joined");
        }
        if (count == 1) {
            joins.remove(group);
            membership(IPV6_DROP_MEMBERSHIP, "IPV6_DROP_MEMBERSHIP", group);
        } else {
            joins.put(group, count - 1);
        }
    }

    private void membership(int option, String optionName, Inet6Address group) throws IOException {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("group: " + group.getHostAddress() + " (expected: an IPv6 multicast address)");
        }
        if (closed.get()) {
            throw new IOException("IPv6 group socket on " + interfaceName + " is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            // struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; unsigned int ipv6mr_interface; }
            MemorySegment request = arena.allocate(20, 4);
            MemorySegment.copy(group.getAddress(), 0, request, JAVA_BYTE, 0, 16);
            request.set(JAVA_INT, 16, interfaceIndex);
            Libc.setsockopt("setsockopt(" + optionName + ", " + interfaceName + ", " + group.getHostAddress() + ")",
                    fd, IPPROTO_IPV6, option, request);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            Libc.close("close(IPv6 group socket " + interfaceName + ")", fd);
        }
    }
}
