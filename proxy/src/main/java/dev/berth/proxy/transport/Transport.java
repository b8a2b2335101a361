package dev.berth.proxy.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.util.Locale;
import java.util.Optional;

/** The Netty transports Berth can run on, fastest first. */
public enum Transport {
    IO_URING,
    EPOLL,
    NIO;

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

    /** The name used on the command line and in the admin API: {@code io_uring}, {@code epoll}, {@code nio}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return cliName();
    }
}
