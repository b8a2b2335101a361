package dev.berth.l2.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host commands ({@code ip}, {@code arping}, {@code ndisc6}) to completion, bounded in time. */
public final class Commands {

    private Commands() {}

    public static CommandResult run(Duration timeout, List<String> command) throws IOException {
        // A file, not a pipe: a hung command cannot block the reader past the timeout.
        Path output = Files.createTempFile("berth-lab-", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IOException(String.join(" ", command) + ": still running after " + timeout
                            + "\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(String.join(" ", command) + ": interrupted", e);
            }
            return new CommandResult(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Like {@link #run} but a non-zero exit is an error naming the command and its output. */
    public static CommandResult check(List<String> command) throws IOException {
        CommandResult result = run(Duration.ofSeconds(20), command);
        if (!result.succeeded()) {
            throw new IOException("expected exit 0: " + result);
        }
        return result;
    }

    /** Whether {@code name} is an executable on PATH (what {@code command -v} answers). */
    public static boolean installed(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Effective uid 0, read from /proc so that no native call is needed. */
    public static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
