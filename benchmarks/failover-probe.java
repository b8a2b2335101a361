import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failover benchmark's client (benchmarks/failover): starts one HTTP request to the VIP every 10 ms, each on a
 * new TCP connection (so each one asks the client kernel's neighbour entry afresh), and prints one line per request
 * when it ends: {@code <start µs> <end µs> ok <node>} or {@code <start µs> <end µs> fail <why>} (one word: an exception's
 * name or the status line with underscores, e.g. {@code HTTP/1.1_404_Not_Found}), times in µs since
 * the epoch (CLOCK_REALTIME, the clock {@code date +%s%6N} reads). Requests do not wait for each other, so the
 * resolution is the 10 ms period whatever the timeouts; the node is the {@code "node"} field of the lab Service's
 * answer (each lab node routes it to its own admin API). Stops after the given number of seconds.
 *
 * <p>Run as a source file: {@code java failover-probe.java HOST PORT SECONDS}.
 */
public final class FailoverProbe {
    private static final int PERIOD_MS = 10;
    private static final int TIMEOUT_MS = 500;
    private static final Pattern NODE = Pattern.compile("\"node\" : \"([^\"]*)\"");

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: java failover-probe.java HOST PORT SECONDS");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long seconds = Long.parseLong(args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        var requests = Executors.newVirtualThreadPerTaskExecutor();
        clock.scheduleAtFixedRate(() -> requests.submit(() -> probe(target, out)), 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        clock.schedule(clock::shutdown, seconds, TimeUnit.SECONDS);
        clock.awaitTermination(seconds + 1, TimeUnit.SECONDS);
        requests.shutdown();
        requests.awaitTermination(2 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
        out.flush();
    }

    private static void probe(InetSocketAddress target, PrintStream out) {
        long start = micros();
        String result;
        try (Socket socket = new Socket()) {
            socket.connect(target, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream request = socket.getOutputStream();
            request.write(("GET /api/overview HTTP/1.1\r\nHost: " + target.getHostString() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream response = socket.getInputStream();
            String text = new String(response.readAllBytes(), StandardCharsets.UTF_8);
            Matcher node = NODE.matcher(text);
            result = text.startsWith("HTTP/1.1 200") && node.find() ? "ok " + node.group(1) : "fail " + firstLine(text);
        } catch (IOException e) {
            result = "fail " + e.getClass().getSimpleName();
        }
        long end = micros();
        synchronized (out) {
            out.println(start + " " + end + " " + result);
            out.flush();
        }
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\r');
        String line = (end < 0 ? text : text.substring(0, end)).strip().replace(' ', '_');
        return line.isEmpty() ? "empty-answer" : line;
    }

    private static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
