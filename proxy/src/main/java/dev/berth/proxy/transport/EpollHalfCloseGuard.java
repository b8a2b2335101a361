package dev.berth.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a half-closed epoll socket in its event loop's epoll set while Berth may still write to it (the L4 relay's
 * other direction, or the HTTP response to a client that has sent its FIN), working around a Netty 4.2.18 bug that
 * lost TCP streams: the root cause of the "FIN in the middle of a splice round" failure.
 *
 * <p><b>The bug.</b> {@code EpollIoHandler.DefaultEpollIoRegistration.submit} removes a socket from epoll
 * ({@code EPOLL_CTL_DEL}) when its interest set becomes empty (netty/netty#16689, new in 4.2.x) but keeps its state
 * "added", so the next non-empty interest set is sent as {@code EPOLL_CTL_MOD}, which fails with ENOENT. The failure
 * surfaces in {@code flush0} as an {@code UncheckedIOException} (not an IOException), so Netty shuts the socket's
 * output and fails every queued write: spliced pipe contents and ByteBufs alike are lost and the peer sees an early
 * FIN. An interest set empties exactly when a relay socket is half-closed: its peer's FIN clears EPOLLRDHUP, a
 * finished input clears EPOLLIN, and a drained outbound buffer clears EPOLLOUT. The other direction still writes to
 * it, and the first time the kernel's send buffer fills, the wait for EPOLLOUT fails. With splice this struck about one
 * 64 MiB-both-ways run in five; {@code TcpRelayTest.endpointThatFinishesFirstStillReceivesEverything} makes it happen
 * every time.
 *
 * <p><b>The work-around.</b> When a socket's input finishes while its output is open, EPOLLERR joins its interest
 * set. The kernel reports EPOLLERR whether asked or not, so this changes no event Netty sees, but the set is never
 * empty and the socket stays registered. When its output is shut too, EPOLLERR leaves again: a socket shut both ways
 * reports EPOLLHUP (also unasked), which Netty does not consume, and left registered it would wake the loop
 * continuously. Netty's own {@code setFlag}/{@code clearFlag} make the change, so its record of the interest set
 * stays true; they are not public, hence the method handles. Should a later Netty rename them, the guard logs once
 * and does nothing.
 *
 * <p>Why not Berth's own splice via FFM instead of {@code spliceTo}: readiness would still come from Netty's epoll
 * registration, and this bug is in that registration, not in the splice; the ByteBuf relay on epoll is exposed too.
 */
public final class EpollHalfCloseGuard {
    private static final Logger log = LoggerFactory.getLogger(EpollHalfCloseGuard.class);
    private static final MethodHandle SET_FLAG;
    private static final MethodHandle CLEAR_FLAG;

    static {
        MethodHandle set = null;
        MethodHandle clear = null;
        try {
            // package-private in Netty; the stream channel (public) is what the relay holds
            Class<?> owner = AbstractEpollStreamChannel.class.getSuperclass();
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
            MethodType flag = MethodType.methodType(void.class, int.class);
            MethodType onStreamChannel = MethodType.methodType(void.class, AbstractEpollStreamChannel.class, int.class);
            set = lookup.findVirtual(owner, "setFlag", flag).asType(onStreamChannel);
            clear = lookup.findVirtual(owner, "clearFlag", flag).asType(onStreamChannel);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("epoll: cannot keep half-closed sockets registered ({}); a TCP stream may be cut short after a FIN", e.toString());
        }
        SET_FLAG = set;
        CLEAR_FLAG = clear;
    }

    private EpollHalfCloseGuard() {
    }

    /** The channel's input finished: keep it registered while its output may still need EPOLLOUT. */
    public static void inputFinished(Channel channel) {
        if (channel instanceof AbstractEpollStreamChannel epoll && channel.isOpen() && SET_FLAG != null
                && !epoll.isOutputShutdown()) {
            invoke(SET_FLAG, epoll);
        }
    }

    /** The channel's output was shut: nothing more to wait for, let Netty drop it from epoll as usual. */
    public static void outputShut(Channel channel) {
        if (channel instanceof AbstractEpollStreamChannel epoll && channel.isOpen() && CLEAR_FLAG != null) {
            invoke(CLEAR_FLAG, epoll);
        }
    }

    private static void invoke(MethodHandle flagChange, AbstractEpollStreamChannel channel) {
        assert channel.eventLoop().inEventLoop();
        try {
            flagChange.invokeExact(channel, Native.EPOLLERR);
        } catch (Throwable e) {
            // epoll_ctl refused: the socket is in trouble anyway, and Netty reports that on its next operation
            log.debug("epoll: interest change for {} failed", channel.remoteAddress(), e);
        }
    }
}
