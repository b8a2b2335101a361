package dev.berth.appliance.translate;

import dev.berth.l2.pool.IpText;
import dev.berth.proxy.config.Endpoint;
import io.fabric8.kubernetes.api.model.Service;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code berth.dev/weights} annotation: {@code "192.0.2.10=5, 192.0.2.11=1"} gives the endpoint at that address
 * that relative weight (for weighted round robin, least-request and Maglev); addresses not listed weigh 1. An entry
 * that does not read is skipped with a log line naming the Service, so a typo never takes an endpoint out.
 */
final class EndpointWeights {
    private static final Logger log = LoggerFactory.getLogger(EndpointWeights.class);

    private EndpointWeights() {
    }

    static List<Endpoint> apply(String annotation, List<Endpoint> endpoints, Service service) {
        Map<String, Integer> weights = new HashMap<>();
        for (String entry : annotation.split(",")) {
            String[] parts = entry.strip().split("=");
            try {
                int weight = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : 0;
                if (weight < 1) {
                    throw new IllegalArgumentException("weight " + weight);
                }
                weights.put(IpText.of(InetAddress.ofLiteral(parts[0].strip())), weight);
            } catch (RuntimeException e) {
                log.warn("Service {}/{}: {}: '{}' skipped (expected: IP=WEIGHT with WEIGHT >= 1)",
                        service.getMetadata().getNamespace(), service.getMetadata().getName(), BackendResolver.WEIGHTS_ANNOTATION, entry.strip());
            }
        }
        return endpoints.stream()
                .map(endpoint -> new Endpoint(endpoint.address(),
                        weights.getOrDefault(IpText.of(endpoint.address().getAddress()), endpoint.weight()), endpoint.node()))
                .toList();
    }
}
