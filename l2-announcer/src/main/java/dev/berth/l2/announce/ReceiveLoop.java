package dev.berth.l2.announce;

import dev.berth.l2.frame.Ethernet;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The body of one interface's receive thread in {@link Announcer}: frame in, responder, reply out. Reads the
 * owned set afresh for every frame, so it needs no lock against {@link Announcer#announce}.
 */
final class ReceiveLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(ReceiveLoop.class.getName());
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final int FRAME_BUFFER = 4096;

    private final LinkChannel channel;
    private final Supplier<Set<InetAddress>> owned;
    private final Duration pollTimeout;
    private final AnnouncerStats stats;
    private final Consumer<InetAddress> claims;
    private final CountDownLatch stop = new CountDownLatch(1);

    ReceiveLoop(LinkChannel channel, Supplier<Set<InetAddress>> owned, Duration pollTimeout, AnnouncerStats stats,
                Consumer<InetAddress> claims) {
        this.channel = channel;
        this.owned = owned;
        this.pollTimeout = pollTimeout;
        this.stats = stats;
        this.claims = claims;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[FRAME_BUFFER];
        Link link = channel.link();
        while (stop.getCount() > 0) {
            int length;
            try {
                length = channel.receive(buffer, pollTimeout);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "receiving on " + link.name() + " failed; retrying in "
                        + ERROR_BACKOFF.toMillis() + " ms: " + e.getMessage());
                awaitStop(ERROR_BACKOFF);
                continue;
            }
            if (length >= 0) {
                handle(buffer, length, link);
            }
        }
    }

    private void handle(byte[] frame, int length, Link link) {
        Verdict verdict = responderFor(frame, length).respond(frame, length, link, owned.get());
        switch (verdict) {
            case Verdict.Reply reply -> {
                try {
                    channel.send(reply.frame());
                    stats.replied();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "reply on " + link.name() + " not sent: " + e.getMessage());
                }
            }
            case Verdict.Drop drop -> stats.dropped(drop.reason());
        }
        Claims.of(frame, length, link.mac()).ifPresent(claims);
    }

    /** ARP by EtherType; everything else to NDP, which names what it is not. */
    static Responder responderFor(byte[] frame, int length) {
        return length >= Ethernet.HEADER_LENGTH && Ethernet.etherType(frame) == Ethernet.TYPE_ARP
                ? ArpResponder.INSTANCE
                : NdpResponder.INSTANCE;
    }

    void stop() {
        stop.countDown();
    }

    private void awaitStop(Duration timeout) {
        try {
            stop.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }
}
