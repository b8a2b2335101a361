package dev.berth.l2.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started inside a lab namespace and driven line by line over stdin/stdout, so that a test can run
 * code that opens raw sockets without the test's own JVM ever doing so in the root namespace. The child is
 * expected to exit when its stdin closes, which also happens when the test JVM dies.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.input = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofVirtual().name("child-stdout-" + process.pid()).start(this::pump);
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(stdout closed: " + e.getMessage() + ")");
        }
    }

    public void send(String line) throws IOException {
        input.write(line + "\n");
        input.flush();
    }

    /** The next line the child prints, which must start with {@code prefix}; fails with the child's log otherwise. */
    public String expect(String prefix, Duration timeout) throws IOException, InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || !line.startsWith(prefix)) {
            throw new AssertionError("expected a line starting '" + prefix + "' from the child within " + timeout
                    + ", got " + (line == null ? "nothing" : "'" + line + "'") + "; alive=" + process.isAlive()
                    + "\nchild stderr:\n" + stderr());
        }
        return line;
    }

    public String stderr() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Process process() {
        return process;
    }

    /** Closes stdin (the child's signal to shut down cleanly), then kills it if it lingers. */
    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException ignored) {
            // Already gone: nothing left to ask politely.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
