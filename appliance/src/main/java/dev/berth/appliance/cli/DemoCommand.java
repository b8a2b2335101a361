package dev.berth.appliance.cli;

import dev.berth.appliance.Appliance;
import dev.berth.appliance.address.AddressPlane;
import dev.berth.appliance.address.StateFileStore;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.source.ManifestDirectorySource;
import dev.berth.appliance.state.ConfigStatus;
import dev.berth.proxy.http.DataPlane;
import dev.berth.proxy.transport.TransportChoice;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth demo}: a standalone run over the quick-start manifests embedded in the jar, copied to a
 * temporary directory that the user may edit while it runs, on loopback only (nothing is announced). The LAN demo
 * (two nodes, a client and a failover in network namespaces) is scripts/demo, which {@code ./berth demo} runs
 * instead when it is root; its backends are {@code berth demo echo} ({@link DemoEchoCommand}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = DemoEchoCommand.class,
        description = "Run Berth standalone on the embedded quick-start manifests (no cluster needed).")
final class DemoCommand implements Callable<Integer> {
    static final String EMBEDDED = "examples/quickstart";

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9080", converter = HostPort.class,
            description = "Admin API address (default: ${DEFAULT-VALUE}).")
    InetSocketAddress admin;

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8000", converter = HostPort.class,
            description = "The demo's HTTP listener (default: ${DEFAULT-VALUE}).")
    InetSocketAddress http;

    @Option(names = "--once", description = "Print what was loaded and exit, instead of serving until Ctrl-C.")
    boolean once;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path directory = Files.createTempDirectory("berth-demo-");
        copyEmbedded(directory);
        TransportChoice transport = TransportChoice.choose("auto");
        Appliance.Settings settings = new Appliance.Settings(RunCommand.nodeName(null), BerthCommand.Version.current(),
                transport.transport().cliName(), admin, Optional.of(DataPlane.Settings.defaults(transport, http)),
                Optional.of(new AddressPlane(StateFileStore.open(directory.resolve(".state")), AddressPlane.defaultClasses())));
        DemoBackend backend = startBackend(out);
        Appliance appliance = Appliance.start(settings, new ManifestDirectorySource(directory, SourceOptions.QUIET, SourceOptions.MAX_DELAY));
        ConfigStatus status = appliance.state().current();
        out.println("Berth demo: standalone, manifests in " + directory);
        out.println("generation " + status.generation() + ": " + status.snapshot());
        status.snapshot().counts().forEach((kind, count) -> status.snapshot().objects(kind)
                .forEach(object -> out.println("  " + ObjectRef.of(kind, object))));
        out.println(status.problems().isEmpty() ? "no problems" : status.problems().size() + " problem(s):");
        status.problems().forEach(problem -> out.println("  " + problem));
        appliance.addressView().services().forEach(service -> out.println("address    Service " + service.namespace() + "/" + service.name()
                + " got " + service.ips() + " from pool " + service.pool() + (service.problems().isEmpty() ? "" : " " + service.problems())));
        InetSocketAddress proxy = appliance.httpAddress().orElseThrow();
        String target = "http://" + proxy.getHostString() + ":" + proxy.getPort() + "/hello";
        out.println("request    curl -H 'Host: echo.example.com' " + target);
        out.println(indent(DemoRequest.get(proxy, "echo.example.com", "/hello")));
        String url = "http://" + appliance.adminAddress().getHostString() + ":" + appliance.adminAddress().getPort();
        out.println("admin API  " + url + "/api/overview   (or: ./berth status --admin " + url + ")");
        if (once) {
            appliance.close();
            closeQuietly(backend);
            deleteTree(directory);
            out.flush();
            return 0;
        }
        out.println("Edit the files in " + directory + " and watch the generation change. Ctrl-C stops.");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            appliance.close();
            closeQuietly(backend);
            deleteTree(directory);
            stopped.countDown();
        }, "berth-shutdown"));
        stopped.await();
        return 0;
    }

    /** The backend the quick-start's EndpointSlice names, unless something already listens there. */
    private static DemoBackend startBackend(PrintWriter out) {
        try {
            return DemoBackend.start(new InetSocketAddress("127.0.0.1", 8080));
        } catch (IOException e) {
            out.println("note: 127.0.0.1:8080 is taken (" + e.getMessage() + "); the demo route goes to whatever listens there");
            return null;
        }
    }

    private static void closeQuietly(DemoBackend backend) {
        if (backend != null) {
            backend.close();
        }
    }

    private static String indent(String text) {
        return text.strip().indent(11).stripTrailing();
    }

    /** Copies the embedded manifests, whether the classes run from the jar or from a build directory. */
    static void copyEmbedded(Path target) throws IOException, URISyntaxException {
        URI uri = DemoCommand.class.getClassLoader().getResource(EMBEDDED).toURI();
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                copyTree(jar.getPath("/" + EMBEDDED), target);
            }
        } else {
            copyTree(Path.of(uri), target);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path destination = target.resolve(source.relativize(file).toString());
                Files.createDirectories(destination.getParent());
                Files.copy(file, destination);
            }
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless; the demo's output named it
        }
    }
}
