package dev.berth.l2.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.berth.l2.frame.MacAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An AF_PACKET SOCK_RAW socket bound to one Ethernet interface: whole frames in and out, the interface's MAC,
 * and Ethernet multicast membership. The announcer owns one per interface; its receive thread calls
 * {@link #receive}, any thread may {@link #send}.
 *
 * <p>Opening needs root or CAP_NET_RAW and acts in the network namespace of the calling thread.
 * {@link #close} must come after the threads that use the socket have stopped: a closed descriptor number can
 * be reused by the next {@code open} of anything in the process.
 */
public final class PacketSocket implements AutoCloseable {

    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int ETH_P_ALL = 0x0003;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_ADD_MEMBERSHIP = 1;
    private static final int PACKET_DROP_MEMBERSHIP = 2;
    private static final int PACKET_MR_MULTICAST = 0;
    private static final int PACKET_IGNORE_OUTGOING = 23;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final int ARPHRD_ETHER = 1;
    private static final int IFNAMSIZ = 16;
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int POLLIN = 0x1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int RECEIVE_BUFFER = 4096;
    private static final ValueLayout.OfShort NETWORK_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private final String interfaceName;
    private final int interfaceIndex;
    private final int fd;
    private final MacAddress mac;
    // Only the receive thread touches these two; the auto arena frees them once the socket is unreachable.
    private final MemorySegment receiveBuffer = Arena.ofAuto().allocate(RECEIVE_BUFFER);
    private final MemorySegment pollFd = Arena.ofAuto().allocate(8);
    private final AtomicBoolean closed = new AtomicBoolean();

    private PacketSocket(String interfaceName, int interfaceIndex, int fd, MacAddress mac) {
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.fd = fd;
        this.mac = mac;
    }

    /**
     * Opens a socket that receives every frame on {@code interfaceName} that {@code filter} accepts (all frames
     * if null), except the ones this host sends.
     */
    public static PacketSocket open(String interfaceName, SocketFilter filter) throws IOException {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.isEmpty() || interfaceName.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name: '" + interfaceName + "' (expected: 1..15 characters)");
        }
        int index = Libc.ifNameToIndex("if_nametoindex(" + interfaceName + ")", interfaceName);
        // Protocol 0 receives nothing until bind names one, so no unfiltered frame can queue up before the filter.
        int fd = Libc.socket("socket(AF_PACKET, SOCK_RAW)", AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            if (filter != null) {
                Libc.setsockopt("setsockopt(SO_ATTACH_FILTER, " + interfaceName + ")", fd, SOL_SOCKET,
                        SO_ATTACH_FILTER, program(arena, filter));
            }
            ignoreOutgoing(fd, arena, interfaceName);
            Libc.bind("bind(AF_PACKET, " + interfaceName + ")", fd, linkAddress(arena, ETH_P_ALL, index, null));
            return new PacketSocket(interfaceName, index, fd, hardwareAddress(fd, arena, interfaceName));
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd, e);
            throw e;
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int interfaceIndex() {
        return interfaceIndex;
    }

    /** The interface's MAC, read with SIOCGIFHWADDR when the socket was opened. */
    public MacAddress mac() {
        return mac;
    }

    /**
     * Waits up to {@code timeout} for one frame and copies it into {@code buffer}.
     *
     * @return the frame's length (at most {@code buffer.length}), or -1 if none arrived in time
     */
    public int receive(byte[] buffer, Duration timeout) throws IOException {
        ensureOpen();
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, (short) POLLIN);
        pollFd.set(JAVA_SHORT, 6, (short) 0);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        try {
            if (Libc.poll("poll(" + interfaceName + ")", pollFd, 1, millis) == 0) {
                return -1;
            }
            int length = (int) Libc.recv("recv(" + interfaceName + ")", fd, receiveBuffer, MSG_DONTWAIT);
            int copied = Math.min(length, buffer.length);
            MemorySegment.copy(receiveBuffer, JAVA_BYTE, 0, buffer, 0, copied);
            return copied;
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.EINTR || e.errno() == ErrnoException.EAGAIN) {
                return -1;
            }
            throw e;
        }
    }

    /** Sends one complete Ethernet frame, header included, out of this interface. */
    public void send(byte[] frame) throws IOException {
        if (frame.length < 14) {
            throw new IllegalArgumentException("frame length: " + frame.length + " (expected: >= 14, an Ethernet header)");
        }
        ensureOpen();
        try (Arena arena = Arena.ofConfined()) {
            int etherType = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
            MemorySegment address = linkAddress(arena, etherType, interfaceIndex, MacAddress.read(frame, 0));
            long sent = Libc.sendto("sendto(" + interfaceName + ")", fd, arena.allocateFrom(JAVA_BYTE, frame), address);
            if (sent != frame.length) {
                throw new IOException("sendto(" + interfaceName + "): sent " + sent + " of " + frame.length + " bytes");
            }
        }
    }

    /** Asks the interface to pass frames sent to the Ethernet group {@code group} up to this socket. */
    public void joinMulticast(MacAddress group) throws IOException {
        membership(PACKET_ADD_MEMBERSHIP, group, "PACKET_ADD_MEMBERSHIP");
    }

    /** Undoes one {@link #joinMulticast} of {@code group}; the kernel counts joins per socket. */
    public void leaveMulticast(MacAddress group) throws IOException {
        membership(PACKET_DROP_MEMBERSHIP, group, "PACKET_DROP_MEMBERSHIP");
    }

    private void membership(int option, MacAddress group, String optionName) throws IOException {
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("group: " + group + " (expected: a multicast MAC)");
        }
        ensureOpen();
        try (Arena arena = Arena.ofConfined()) {
            // struct packet_mreq { int mr_ifindex; unsigned short mr_type; unsigned short mr_alen; unsigned char mr_address[8]; }
            MemorySegment request = arena.allocate(16);
            request.set(JAVA_INT, 0, interfaceIndex);
            request.set(JAVA_SHORT, 4, (short) PACKET_MR_MULTICAST);
            request.set(JAVA_SHORT, 6, (short) MacAddress.LENGTH);
            MemorySegment.copy(group.bytes(), 0, request, JAVA_BYTE, 8, MacAddress.LENGTH);
            Libc.setsockopt("setsockopt(" + optionName + ", " + interfaceName + ", " + group + ")", fd, SOL_PACKET,
                    option, request);
        }
    }

    /** Closes the descriptor; later calls fail. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            Libc.close("close(" + interfaceName + ")", fd);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("packet socket on " + interfaceName + " is closed");
        }
    }

    /** struct sockaddr_ll; {@code destination} only matters for sendto. */
    private static MemorySegment linkAddress(Arena arena, int protocol, int index, MacAddress destination) {
        MemorySegment address = arena.allocate(SOCKADDR_LL_SIZE, 4);
        address.set(JAVA_SHORT, 0, (short) AF_PACKET);
        address.set(NETWORK_SHORT, 2, (short) protocol);
        address.set(JAVA_INT, 4, index);
        if (destination != null) {
            address.set(JAVA_BYTE, 11, (byte) MacAddress.LENGTH);
            MemorySegment.copy(destination.bytes(), 0, address, JAVA_BYTE, 12, MacAddress.LENGTH);
        }
        return address;
    }

    /** struct sock_fprog { unsigned short len; struct sock_filter *filter; } on LP64: pointer at offset 8. */
    private static MemorySegment program(Arena arena, SocketFilter filter) {
        MemorySegment instructions = arena.allocate(8L * filter.instructions().size(), 8);
        long at = 0;
        for (SocketFilter.Instruction i : filter.instructions()) {
            instructions.set(JAVA_SHORT, at, (short) i.code());
            instructions.set(JAVA_BYTE, at + 2, (byte) i.jumpIfTrue());
            instructions.set(JAVA_BYTE, at + 3, (byte) i.jumpIfFalse());
            instructions.set(JAVA_INT, at + 4, i.k());
            at += 8;
        }
        MemorySegment program = arena.allocate(16, 8);
        program.set(JAVA_SHORT, 0, (short) filter.instructions().size());
        program.set(ValueLayout.ADDRESS, 8, instructions);
        return program;
    }

    /** Frames we send would otherwise come back to our own receive loop; kernels before 4.20 lack the option. */
    private static void ignoreOutgoing(int fd, Arena arena, String interfaceName) {
        try {
            Libc.setsockopt("setsockopt(PACKET_IGNORE_OUTGOING, " + interfaceName + ")", fd, SOL_PACKET,
                    PACKET_IGNORE_OUTGOING, arena.allocateFrom(JAVA_INT, 1));
        } catch (ErrnoException e) {
            System.getLogger(PacketSocket.class.getName()).log(System.Logger.Level.DEBUG,
                    "own frames will be dropped by the responders instead: " + e.getMessage());
        }
    }

    /** struct ifreq: 16-byte name, then a sockaddr whose family is the ARPHRD type and whose data is the MAC. */
    private static MacAddress hardwareAddress(int fd, Arena arena, String interfaceName) throws IOException {
        MemorySegment request = arena.allocate(40, 8);
        MemorySegment.copy(arena.allocateFrom(interfaceName), 0, request, 0, interfaceName.length());
        Libc.ioctl("ioctl(SIOCGIFHWADDR, " + interfaceName + ")", fd, SIOCGIFHWADDR, request);
        int type = Short.toUnsignedInt(request.get(JAVA_SHORT, IFNAMSIZ));
        if (type != ARPHRD_ETHER) {
            throw new IOException("interface " + interfaceName + ": hardware type " + type
                    + " (expected: 1, Ethernet; ARP and NDP are announced on Ethernet links only)");
        }
        byte[] mac = new byte[MacAddress.LENGTH];
        MemorySegment.copy(request, JAVA_BYTE, IFNAMSIZ + 2, mac, 0, MacAddress.LENGTH);
        return MacAddress.of(mac);
    }

    private static void closeQuietly(int fd, Exception cause) {
        try {
            Libc.close("close", fd);
        } catch (ErrnoException e) {
            cause.addSuppressed(e);
        }
    }
}
