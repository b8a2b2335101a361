package dev.berth.appliance.admin;

import dev.berth.appliance.state.ConfigStatus;
import dev.berth.appliance.validation.Problem;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/overview}: who this node is and which configuration it runs. Field names are stable API.
 *
 * @param transport the data plane's Netty transport ({@code io_uring}, {@code epoll}, {@code nio})
 * @param source where the configuration comes from
 * @param generation the configuration generation in force; 0 before the first valid one
 * @param latestRejected whether the newest configuration seen was rejected (see problems)
 * @param objects object count per kind in the configuration in force
 * @param tcp the L4 plane, or null where this node runs no data plane
 */
public record Overview(
        String node,
        String version,
        String transport,
        String source,
        long generation,
        Instant changedAt,
        boolean latestRejected,
        Map<String, Integer> objects,
        List<Problem> problems,
        TcpOverview tcp) {

    static Overview of(NodeInfo node, ConfigStatus status, TcpOverview tcp) {
        Map<String, Integer> objects = new LinkedHashMap<>();
        status.snapshot().counts().forEach((kind, count) -> objects.put(kind.toString(), count));
        return new Overview(node.name(), node.version(), node.transport(), node.source(), status.generation(),
                status.changedAt(), status.latestRejected(), objects, status.problems(), tcp);
    }
}
