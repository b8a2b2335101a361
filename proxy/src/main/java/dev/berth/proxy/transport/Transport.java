package dev.berth.proxy.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;

/** The Netty transports Berth can run on; {@link #preferred} is the order {@code --transport auto} tries them in. */
public enum Transport {
    EPOLL,
    IO_URING,
    NIO;

    /**
     * The order {@code --transport auto} tries transports in: where kernel entries are dear ({@link KernelEntryCost}),
     * io_uring, which makes fewer of them, then epoll; elsewhere epoll, which sends large responses while they are
     * still in the cache, then io_uring; then NIO, which every JVM has.
     */
    static List<Transport> preferred(boolean dearKernelEntries) {
        return dearKernelEntries ? List.of(IO_URING, EPOLL, NIO) : List.of(EPOLL, IO_URING, NIO);
    }

    /** Why this transport cannot be used here, or empty when it can. */
    public Optional<String> unavailabilityCause() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            case NIO -> null;
        };
        return Optional.ofNullable(cause).map(Transport::describe);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /**
     * Event loops of this transport, named {@code berth-<name>} for thread dumps, each new channel placed by
     * {@code placement} (whose counter the group's listeners carry).
     */
    public EventLoopGroup newEventLoopGroup(int threads, String name, LessLoadedLoop placement) {
        IoHandlerFactory factory = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        Executor threadPerLoop = new ThreadPerTaskExecutor(new DefaultThreadFactory("berth-" + name, true));
        return new MultiThreadIoEventLoopGroup(threads, threadPerLoop, placement, factory);
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** The client socket class: upstream connections use the same transport as the downstream one. */
    public Class<? extends SocketChannel> socketChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** The name used on the command line and in the admin API: {@code io_uring}, {@code epoll}, {@code nio}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return cliName();
    }
}
