package dev.berth.appliance.cli;

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
        System.exit(commandLine().execute(args));
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
