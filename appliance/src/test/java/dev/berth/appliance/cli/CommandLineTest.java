package dev.berth.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The CLI contract in-process: exit codes and output; the launcher is covered by scripts/smoke-test. */
class CommandLineTest {
    @TempDir
    Path scratch;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BerthCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void checkOfTheQuickStartPrintsASummary() {
        Result result = run("check", "--manifests", "../examples/quickstart");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("6 objects, 0 problems\n");
    }

    @Test
    void checkPrintsOneLinePerProblemAndExitsOne() throws Exception {
        Files.writeString(scratch.resolve("bad.yaml"), """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: wide, namespace: berth-system}
                spec: {addresses: [10.0.0.0/33, 192.0.2.20-192.0.2.10]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                """);
        Result result = run("check", "--manifests", scratch.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out().lines()).containsExactly(
                "IPAddressPool berth-system/wide: spec.addresses[0]: '10.0.0.0/33': prefix length 33 is out of range for IPv4 (expected: 0..32)",
                "IPAddressPool berth-system/wide: spec.addresses[1]: '192.0.2.20-192.0.2.10': end 192.0.2.10 precedes start 192.0.2.20 (expected: start <= end)",
                "1 object, 2 problems (1 document of other kinds ignored)");
    }

    @Test
    void aMissingDirectoryIsOneLineAndExitOne() {
        Result result = run("check", "--manifests", scratch.resolve("nowhere").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("berth check: --manifests ").endsWith("not a readable directory (expected: a directory of manifests)");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("check").exit()).isEqualTo(2);
        assertThat(run("run", "--manifests", "a", "--in-cluster").exit()).isEqualTo(2);
        assertThat(run("run", "--manifests", "a", "--admin", "no-port").exit()).isEqualTo(2);
        assertThat(run("frobnicate").exit()).isEqualTo(2);
    }

    /** An option whose value {@code run} cannot use: exit 1 and one line naming the option and what it expects. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --transport           | kqueue      | berth run: transport 'kqueue' (expected: auto, epoll, io_uring or nio)
            --event-loops         | -1          | berth run: --event-loops -1: negative (expected: 0 for one per CPU, or a count)
            --default-certificate | default-tls | berth run: --default-certificate default-tls: not NAMESPACE/NAME (expected: e.g. berth-system/default-tls)
            --tls-library         | gnutls      | berth run: --tls-library gnutls (expected: auto or jdk)
            """)
    void anUnusableOptionValueIsOneLine(String option, String value, String message) {
        Result result = run("run", "--manifests", scratch.toString(), option, value, "--admin", "127.0.0.1:0");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(message + "\n");
    }

    @Test
    void statusWithNothingListeningSaysSo() {
        Result result = run("status", "--admin", "http://127.0.0.1:1");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("berth status: nothing answers at http://127.0.0.1:1");
    }

    @Test
    void demoLoadsTheEmbeddedQuickStart() {
        Result result = run("demo", "--once", "--admin", "127.0.0.1:0", "--http", "127.0.0.1:0");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("generation 1: 1 Service, 1 EndpointSlice, 1 Ingress, 1 IngressClass, 1 IPAddressPool, 1 L2Advertisement")
                .contains("IPAddressPool berth-system/lan")
                .contains("no problems")
                .contains("HTTP/1.1 200 OK", "hello from the demo backend at /127.0.0.1:8080", "GET /hello  Host: echo.example.com")
                .contains("admin API  http://127.0.0.1:");
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version").out()).startsWith("berth ");
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("run", "check", "status", "demo");
    }
}
