package dev.berth.l2.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc functions {@link PacketSocket} calls, each a downcall that captures errno and throws
 * {@link ErrnoException} on failure. The one place in the module that holds method handles.
 */
// Restricted methods are the point of this class; the launcher grants --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET =
            downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND =
            downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall(
            "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL =
            downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV =
            downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDTO = downcall(
            "sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX =
            downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // ioctl is variadic: the third argument must be passed as a variadic one on every ABI.
    private static final MethodHandle IOCTL = downcall(
            "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, options);
    }

    static int socket(String call, int domain, int type, int protocol) throws ErrnoException {
        return (int) invoke(call, state -> (int) SOCKET.invokeExact(state, domain, type, protocol));
    }

    static void bind(String call, int fd, MemorySegment address) throws ErrnoException {
        invoke(call, state -> (int) BIND.invokeExact(state, fd, address, (int) address.byteSize()));
    }

    static void setsockopt(String call, int fd, int level, int option, MemorySegment value) throws ErrnoException {
        invoke(call, state -> (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize()));
    }

    /** poll(2) on {@code count} pollfd structs; returns how many are ready, 0 on timeout. */
    static int poll(String call, MemorySegment fds, long count, int timeoutMillis) throws ErrnoException {
        return (int) invoke(call, state -> (int) POLL.invokeExact(state, fds, count, timeoutMillis));
    }

    static long recv(String call, int fd, MemorySegment buffer, int flags) throws ErrnoException {
        return invoke(call, state -> (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), flags));
    }

    static long sendto(String call, int fd, MemorySegment data, MemorySegment address) throws ErrnoException {
        return invoke(call, state ->
                (long) SENDTO.invokeExact(state, fd, data, data.byteSize(), 0, address, (int) address.byteSize()));
    }

    static void close(String call, int fd) throws ErrnoException {
        invoke(call, state -> (int) CLOSE.invokeExact(state, fd));
    }

    static void ioctl(String call, int fd, long request, MemorySegment argument) throws ErrnoException {
        invoke(call, state -> (int) IOCTL.invokeExact(state, fd, request, argument));
    }

    /** if_nametoindex(3), which signals failure with 0 rather than -1. */
    static int ifNameToIndex(String call, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            return (int) invoke(call, state -> {
                int index = (int) IF_NAMETOINDEX.invokeExact(state, cName);
                return index == 0 ? -1 : index;
            });
        }
    }

    /** A downcall given its errno capture segment; a negative result means failure, as in most of libc. */
    @FunctionalInterface
    private interface Call {
        long invoke(MemorySegment callState) throws Throwable;
    }

    private static long invoke(String call, Call downcall) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long result;
            try {
                result = downcall.invoke(state);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("downcall " + call + " threw", t);
            }
            if (result < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new ErrnoException(call, errno, describe(errno));
            }
            return result;
        }
    }

    private static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "strerror failed: " + t;
        }
    }
}
