package dev.berth.l2.ffm;

import java.io.IOException;
import java.util.Map;

/** A libc call that failed, named with its arguments and the errno it left, e.g. {@code bind(eth0): ENODEV (No such device)}. */
public final class ErrnoException extends IOException {

    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int ENODEV = 19;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(EINTR, "EINTR"), Map.entry(6, "ENXIO"),
            Map.entry(9, "EBADF"), Map.entry(EAGAIN, "EAGAIN"), Map.entry(12, "ENOMEM"), Map.entry(EACCES, "EACCES"),
            Map.entry(14, "EFAULT"), Map.entry(ENODEV, "ENODEV"), Map.entry(22, "EINVAL"), Map.entry(24, "EMFILE"),
            Map.entry(90, "EMSGSIZE"), Map.entry(92, "ENOPROTOOPT"), Map.entry(93, "EPROTONOSUPPORT"),
            Map.entry(97, "EAFNOSUPPORT"), Map.entry(99, "EADDRNOTAVAIL"), Map.entry(100, "ENETDOWN"),
            Map.entry(105, "ENOBUFS"));

    private final String call;
    private final int errno;

    ErrnoException(String call, int errno, String description) {
        super(call + ": " + NAMES.getOrDefault(errno, "errno " + errno) + " (" + description + ")" + hint(errno));
        this.call = call;
        this.errno = errno;
    }

    private static String hint(int errno) {
        return errno == EPERM || errno == EACCES
                ? "; AF_PACKET sockets need root or CAP_NET_RAW in this network namespace"
                : "";
    }

    /** The call as written in the message, e.g. {@code socket(AF_PACKET, SOCK_RAW)}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
