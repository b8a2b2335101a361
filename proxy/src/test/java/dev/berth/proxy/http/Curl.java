package dev.berth.proxy.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real curl, as a user would. Every call ends its output with a line {@code <http_version> <status> <bytes>}. */
final class Curl {
    record Result(int exit, String body, String httpVersion, int status, long downloaded, String err) {
    }

    private Curl() {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        command.addAll(List.of("-w", "\n%{http_version} %{http_code} %{size_download}"));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        int lastLine = text.lastIndexOf('\n');
        String[] trailer = text.substring(lastLine + 1).split(" ");
        return new Result(process.exitValue(), text.substring(0, Math.max(0, lastLine)), trailer[0],
                trailer.length > 1 ? Integer.parseInt(trailer[1]) : 0, trailer.length > 2 ? Long.parseLong(trailer[2]) : 0,
                new String(err, StandardCharsets.UTF_8));
    }
}
