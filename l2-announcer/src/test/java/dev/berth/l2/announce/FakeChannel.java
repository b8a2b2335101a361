package dev.berth.l2.announce;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An in-memory interface: tests put frames in {@link #inbound} and read what the announcer sent from {@link #sent}. */
final class FakeChannel implements LinkChannel {

    final BlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
    final List<String> memberships = new ArrayList<>();
    volatile boolean closed;
    private final Link link;

    FakeChannel(Link link) {
        this.link = link;
    }

    @Override
    public Link link() {
        return link;
    }

    @Override
    public int receive(byte[] buffer, Duration timeout) throws java.io.IOException {
        try {
            byte[] frame = inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (frame == null) {
                return -1;
            }
            System.arraycopy(frame, 0, buffer, 0, frame.length);
            return frame.length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void send(byte[] frame) {
        sent.add(frame);
    }

    @Override
    public synchronized void joinGroup(Inet6Address group) {
        memberships.add("+" + group.getHostAddress());
    }

    @Override
    public synchronized void leaveGroup(Inet6Address group) {
        memberships.add("-" + group.getHostAddress());
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Everything sent so far, in order. */
    List<byte[]> drainSent() {
        List<byte[]> frames = new ArrayList<>();
        sent.drainTo(frames);
        return frames;
    }
}
