package dev.berth.appliance.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth demo echo HOST:PORT}: only the demo's echo backend ({@link DemoBackend}), serving until the process is
 * stopped. The LAN demo (scripts/demo) runs two of these in backend namespaces, so that each answer names the
 * backend that gave it; a small HTTP server that comes with Berth needs nothing installed.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Run only the demo's echo backend on HOST:PORT until stopped (the LAN demo's backends).")
final class DemoEchoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "HOST:PORT", converter = HostPort.class, description = "Where to listen, e.g. 0.0.0.0:8080.")
    InetSocketAddress listen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DemoBackend backend = DemoBackend.start(listen);
        PrintWriter out = spec.commandLine().getOut();
        out.println("echo backend on " + listen);
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backend.close();
            stopped.countDown();
        }, "berth-echo-shutdown"));
        stopped.await();
        return 0;
    }
}
