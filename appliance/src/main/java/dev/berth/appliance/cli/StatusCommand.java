package dev.berth.appliance.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code berth status}: what a running node says about itself, from its admin API. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show what a running Berth serves, from its admin API.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "http://127.0.0.1:9080",
            description = "The node's admin API (default: ${DEFAULT-VALUE}).")
    URI admin;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            PrintWriter out = spec.commandLine().getOut();
            print(get(client, "/api/overview"), out);
            printServices(get(client, "/api/services"), out);
            printCertificates(get(client, "/api/certificates"), out);
            return 0;
        }
    }

    private JsonNode get(HttpClient client, String path) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(admin.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException(admin + path + " answered " + response.statusCode() + " (expected: a Berth admin API)");
            }
            return JsonMapper.builder().build().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("nothing answers at " + admin + " (expected: a running `berth run`; see --admin)");
        } catch (JacksonException e) {
            throw new IllegalArgumentException(admin + path + " did not answer JSON (expected: a Berth admin API)");
        }
    }

    private static void printServices(JsonNode services, PrintWriter out) {
        out.printf("services    %d LoadBalancer%n", services.size());
        for (JsonNode service : services) {
            StringBuilder ips = new StringBuilder();
            service.path("ips").forEach(ip -> ips.append(ips.isEmpty() ? "" : ", ").append(ip.asString("")));
            out.printf("  %s/%s  %s%s%n", service.path("namespace").asString(""), service.path("name").asString(""),
                    ips.isEmpty() ? "(no IP)" : ips + " from " + service.path("pool").asString(""),
                    service.path("problems").isEmpty() ? "" : "  " + service.path("problems").get(0).asString(""));
        }
        out.flush();
    }

    /** What HTTPS presents, each with its days left: the one line an operator looks for before a certificate runs out. */
    private static void printCertificates(JsonNode certificates, PrintWriter out) {
        out.printf("certificates %d%s%n", certificates.size(), certificates.isEmpty() ? " (no HTTPS listener)" : "");
        for (JsonNode certificate : certificates) {
            StringBuilder names = new StringBuilder();
            certificate.path("serverNames").forEach(name -> names.append(names.isEmpty() ? "" : ", ").append(name.asString("")));
            out.printf("  %s  %s  %d days left (%s)%n", certificate.path("isDefault").asBoolean(false) ? "default" : names,
                    certificate.path("source").asString(""), certificate.path("daysLeft").asLong(0),
                    certificate.path("notAfter").asString(""));
        }
        out.flush();
    }

    private static void print(JsonNode overview, PrintWriter out) {
        out.printf("node        %s (berth %s, transport %s)%n", overview.path("node").asString(""),
                overview.path("version").asString(""), overview.path("transport").asString(""));
        out.printf("source      %s%n", overview.path("source").asString(""));
        out.printf("generation  %d%s%n", overview.path("generation").asLong(0),
                overview.path("latestRejected").asBoolean(false) ? " (the newest configuration was rejected)" : "");
        StringBuilder objects = new StringBuilder();
        for (var entry : overview.path("objects").properties()) {
            if (entry.getValue().asInt(0) > 0) {
                objects.append(objects.isEmpty() ? "" : ", ").append(entry.getValue().asInt(0)).append(' ').append(entry.getKey());
            }
        }
        out.printf("objects     %s%n", objects.isEmpty() ? "none" : objects);
        JsonNode problems = overview.path("problems");
        out.printf("problems    %d%n", problems.size());
        for (JsonNode problem : problems) {
            String namespace = problem.path("namespace").asString("");
            String field = problem.path("field").asString("");
            out.printf("  %s %s%s: %s%s%n", problem.path("kind").asString(""),
                    namespace.isEmpty() ? "" : namespace + "/", problem.path("name").asString(""),
                    field.isEmpty() ? "" : field + ": ", problem.path("message").asString(""));
        }
        out.flush();
    }
}
