package dev.berth.proxy.config;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the raw TCP (L4) data plane serves for one configuration generation.
 *
 * @param generation the appliance's configuration generation this was built from (for logs and the admin API)
 * @param services every TCP service port; names unique, and no two share a listen address unless its port is 0
 */
public record TcpConfig(long generation, List<TcpService> services) {

    public static final TcpConfig EMPTY = new TcpConfig(0, List.of());

    public TcpConfig {
        services = List.copyOf(services);
        Map<String, TcpService> byName = new HashMap<>();
        Map<InetSocketAddress, TcpService> byListen = new HashMap<>();
        for (TcpService service : services) {
            TcpService sameName = byName.put(service.name(), service);
            if (sameName != null) {
                throw new IllegalArgumentException("service '" + service.name() + "' appears twice (expected: unique names)");
            }
            if (service.listen().getPort() != 0) {
                TcpService sameListen = byListen.put(service.listen(), service);
                if (sameListen != null) {
                    throw new IllegalArgumentException("services '" + sameListen.name() + "' and '" + service.name()
                            + "' both listen on " + service.listen() + " (expected: one service per address and port)");
                }
            }
        }
    }
}
