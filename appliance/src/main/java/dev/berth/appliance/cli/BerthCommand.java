package dev.berth.appliance.cli;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code berth} command; see the README for the whole contract. */
@Command(
        name = "berth",
        mixinStandardHelpOptions = true,
        versionProvider = BerthCommand.Version.class,
        description = "Load-balancer appliance for bare-metal Kubernetes: LoadBalancer IPs announced over ARP/NDP, "
                + "and a proxy serving Ingress and TCP Services.",
        footer = {"", "The launcher adds: ./berth test (the test suite), ./berth bench (benchmarks).",
                "Exit codes: 0 ok, 1 invalid input, 2 usage."},
        subcommands = {RunCommand.class, CheckCommand.class, StatusCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class BerthCommand {

    public static void main(String[] args) {
        withoutLeakDetection();
        System.exit(commandLine().execute(args));
    }

    /**
     * Netty's buffer leak detection is on by default (sampling), and while it is, every message is "touched" at every
     * handler it passes: measured in ./berth bench, turning it off gives 8% more HTTP/1.1 keep-alive and h2 throughput
     * (benchmarks/README.md, tuning log). A leak is a bug for the test suite to find, which keeps it on; the program
     * turns it off unless the JVM is told a level ({@code -Dio.netty.leakDetection.level=paranoid} to hunt one).
     */
    static void withoutLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** The configured command line: one-line errors, exit code 1 for invalid input, 2 for usage. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BerthCommand());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            PrintWriter err = line.getErr();
            err.println("berth " + line.getCommandName() + ": " + messageOf(exception));
            err.flush();
            return 1;
        });
        return commandLine;
    }

    private static String messageOf(Exception exception) {
        String message = exception.getMessage();
        return message == null ? exception.getClass().getSimpleName() : message;
    }

    /** Reads the version Maven wrote into {@code berth-version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        static String current() {
            try (InputStream in = BerthCommand.class.getResourceAsStream("/berth-version.properties")) {
                Properties properties = new Properties();
                if (in != null) {
                    properties.load(in);
                }
                return properties.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }

        @Override
        public String[] getVersion() {
            return new String[] {"berth " + current(), "Java " + Runtime.version()};
        }
    }
}
