package dev.berth.l2.ffm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses of one interface through rtnetlink (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR), for making a VIP local
 * on the node that owns it so that the kernel delivers its packets to Berth's own listeners. One netlink socket
 * per call: these change when ownership changes, not per packet. Needs CAP_NET_ADMIN in the network namespace.
 */
public final class InterfaceAddresses {
    private static final int AF_NETLINK = 16;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_DELADDR = 21;
    private static final short RTM_GETADDR = 22;
    private static final short NLMSG_ERROR = 2;
    private static final short NLMSG_DONE = 3;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_DUMP = 0x300;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short IFA_FLAGS = 8;
    private static final int IFA_F_NODAD = 0x02;
    private static final int EEXIST = 17;
    private static final int EADDRNOTAVAIL = 99;
    private static final int HEADER = 16;
    private static final int IFADDRMSG = 8;

    private InterfaceAddresses() {
    }

    /** Adds {@code address} as a host address (/32 or /128, no duplicate address detection); present already is fine. */
    public static void add(String interfaceName, InetAddress address) throws IOException {
        int index = Libc.ifNameToIndex("if_nametoindex(" + interfaceName + ")", interfaceName);
        int error = request(addressMessage(RTM_NEWADDR, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL), index, address));
        if (error != 0 && error != -EEXIST) {
            throw new IOException("RTM_NEWADDR " + address.getHostAddress() + " on " + interfaceName + ": errno " + -error
                    + " (expected: CAP_NET_ADMIN in this network namespace)");
        }
    }

    /** Removes {@code address}; absent already is fine. */
    public static void remove(String interfaceName, InetAddress address) throws IOException {
        int index = Libc.ifNameToIndex("if_nametoindex(" + interfaceName + ")", interfaceName);
        int error = request(addressMessage(RTM_DELADDR, (short) (NLM_F_REQUEST | NLM_F_ACK), index, address));
        if (error != 0 && error != -EADDRNOTAVAIL) {
            throw new IOException("RTM_DELADDR " + address.getHostAddress() + " on " + interfaceName + ": errno " + -error);
        }
    }

    /** Every address of the interface, IPv4 and IPv6. */
    public static List<InetAddress> list(String interfaceName) throws IOException {
        int index = Libc.ifNameToIndex("if_nametoindex(" + interfaceName + ")", interfaceName);
        ByteBuffer message = ByteBuffer.allocate(HEADER + IFADDRMSG).order(ByteOrder.nativeOrder());
        header(message, RTM_GETADDR, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        message.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        List<InetAddress> found = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            int fd = open(arena);
            try {
                send(arena, fd, message);
                MemorySegment buffer = arena.allocate(65536);
                while (true) {
                    long length = Libc.recv("recv(netlink)", fd, buffer, 0);
                    ByteBuffer replies = buffer.asSlice(0, length).asByteBuffer().order(ByteOrder.nativeOrder());
                    while (replies.remaining() >= HEADER) {
                        int start = replies.position();
                        int messageLength = replies.getInt(start);
                        short type = replies.getShort(start + 4);
                        if (type == NLMSG_DONE) {
                            return found;
                        }
                        if (type == NLMSG_ERROR) {
                            throw new IOException("RTM_GETADDR: errno " + -replies.getInt(start + HEADER));
                        }
                        if (type == RTM_NEWADDR && replies.getInt(start + HEADER + 4) == index) {
                            address(replies, start, messageLength).ifPresent(found::add);
                        }
                        replies.position(start + align(messageLength));
                    }
                }
            } finally {
                Libc.close("close(netlink)", fd);
            }
        }
    }

    private static java.util.Optional<InetAddress> address(ByteBuffer replies, int start, int messageLength) throws UnknownHostException {
        byte[] local = null;
        byte[] address = null;
        int at = start + HEADER + IFADDRMSG;
        while (at + 4 <= start + messageLength) {
            int attributeLength = Short.toUnsignedInt(replies.getShort(at));
            short type = replies.getShort(at + 2);
            if (attributeLength < 4) {
                break;
            }
            byte[] data = new byte[attributeLength - 4];
            replies.get(at + 4, data);
            if (type == IFA_LOCAL) {
                local = data;
            } else if (type == IFA_ADDRESS) {
                address = data;
            }
            at += align(attributeLength);
        }
        byte[] chosen = local != null ? local : address;
        return chosen == null ? java.util.Optional.empty() : java.util.Optional.of(InetAddress.getByAddress(chosen));
    }

    private static ByteBuffer addressMessage(short type, short flags, int index, InetAddress address) {
        boolean v4 = address instanceof Inet4Address;
        byte[] raw = address.getAddress();
        int attribute = align(4 + raw.length);
        ByteBuffer message = ByteBuffer.allocate(HEADER + IFADDRMSG + (v4 ? 2 * attribute : attribute + 8)).order(ByteOrder.nativeOrder());
        header(message, type, flags);
        message.put((byte) (v4 ? AF_INET : AF_INET6)).put((byte) (raw.length * 8)).put((byte) (v4 ? 0 : IFA_F_NODAD))
                .put((byte) 0).putInt(index);
        if (v4) {
            attribute(message, IFA_LOCAL, raw);
        }
        attribute(message, IFA_ADDRESS, raw);
        if (!v4) {
            message.putShort((short) 8).putShort(IFA_FLAGS).putInt(IFA_F_NODAD);
        }
        return message;
    }

    private static void header(ByteBuffer message, short type, short flags) {
        message.putInt(message.capacity()).putShort(type).putShort(flags).putInt(1).putInt(0);
    }

    private static void attribute(ByteBuffer message, short type, byte[] data) {
        message.putShort((short) (4 + data.length)).putShort(type).put(data);
        while (message.position() % 4 != 0) {
            message.put((byte) 0);
        }
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    /** Sends one request and returns the kernel's answer: 0, or a negative errno. */
    private static int request(ByteBuffer message) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = open(arena);
            try {
                send(arena, fd, message);
                MemorySegment buffer = arena.allocate(8192);
                long length = Libc.recv("recv(netlink)", fd, buffer, 0);
                ByteBuffer reply = buffer.asSlice(0, length).asByteBuffer().order(ByteOrder.nativeOrder());
                if (reply.getShort(4) != NLMSG_ERROR) {
                    throw new IOException("netlink answered message type " + reply.getShort(4) + " (expected: an acknowledgement)");
                }
                return reply.getInt(HEADER);
            } finally {
                Libc.close("close(netlink)", fd);
            }
        }
    }

    private static int open(Arena arena) throws ErrnoException {
        int fd = Libc.socket("socket(AF_NETLINK)", AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        Libc.bind("bind(netlink)", fd, sockaddr(arena));
        return fd;
    }

    private static void send(Arena arena, int fd, ByteBuffer message) throws ErrnoException {
        MemorySegment data = arena.allocate(message.capacity());
        data.copyFrom(MemorySegment.ofArray(message.array()));
        Libc.sendto("sendto(netlink)", fd, data, sockaddr(arena));
    }

    /** sockaddr_nl of the kernel: family, padding, pid 0, groups 0. */
    private static MemorySegment sockaddr(Arena arena) {
        MemorySegment address = arena.allocate(12);
        address.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
        return address;
    }
}
