package dev.berth.proxy.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on 127.0.0.1 for the L4 tests: each accepted connection runs a {@link Session} on its own
 * virtual thread. Also holds the byte-stream helpers both ends of a test use.
 */
final class TestUpstream implements AutoCloseable {
    static final int CHUNK = 64 * 1024;

    interface Session {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    TestUpstream(Session session) throws IOException {
        this(session, 0);
    }

    /**
     * @param receiveBuffer SO_RCVBUF for accepted sockets, 0 for the kernel's default; a small fixed one keeps the
     *     proxy's send buffer towards this upstream full, so the proxy must wait for EPOLLOUT again and again
     */
    TestUpstream(Session session, int receiveBuffer) throws IOException {
        server = new ServerSocket();
        if (receiveBuffer > 0) {
            server.setReceiveBufferSize(receiveBuffer); // inherited by accepted sockets; set before bind to take effect
        }
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        Thread.ofPlatform().daemon().name("test-upstream-" + server.getLocalPort()).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            session.run(socket);
                        } catch (Exception e) {
                            // the test that cares sees it on its own side of the connection
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Writes its name and a newline, then echoes until the client's FIN. */
    static Session namedEcho(String name) {
        return socket -> {
            OutputStream out = socket.getOutputStream();
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.getInputStream().transferTo(out);
        };
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Writes {@code size} pseudo-random bytes from {@code seed}; returns their SHA-256. */
    static String writeStream(OutputStream out, long size, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[CHUNK];
        for (long left = size; left > 0; ) {
            int n = (int) Math.min(CHUNK, left);
            random.nextBytes(chunk);
            sha.update(chunk, 0, n);
            out.write(chunk, 0, n);
            left -= n;
        }
        out.flush();
        return HexFormat.of().formatHex(sha.digest());
    }

    /** What a stream held until its end. */
    record Received(long bytes, String sha256) {
    }

    static Received readToEnd(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(chunk)) >= 0; ) {
            sha.update(chunk, 0, n);
            total += n;
        }
        return new Received(total, HexFormat.of().formatHex(sha.digest()));
    }

    /** Reads exactly {@code size} bytes (fewer only at an early end of the stream), leaving the stream open. */
    static Received readExactly(InputStream in, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[CHUNK];
        long total = 0;
        for (int n; total < size && (n = in.read(chunk, 0, (int) Math.min(CHUNK, size - total))) >= 0; ) {
            sha.update(chunk, 0, n);
            total += n;
        }
        return new Received(total, HexFormat.of().formatHex(sha.digest()));
    }

    /** A line up to {@code \n}, without it, or null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return line.toString();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }
}
