package dev.berth.proxy.balance;

/**
 * Maglev consistent hashing ({@link BalancingAlgorithm#MAGLEV}): the caller's 64-bit hash key (client IP,
 * header or cookie, see {@link HashKeys}) indexes a table built once per snapshot by {@link MaglevTable}, so
 * a client keeps its endpoint across requests, loops and nodes, and a change of endpoints moves few clients.
 *
 * <p>The table is read-only after construction, so picks on different loops share nothing written. An
 * unhealthy endpoint's keys walk on to the next slot, which belongs to an endpoint chosen by that slot's
 * place in the table: its clients spread over the survivors, the others keep their endpoint, and the
 * table is not rebuilt.
 */
final class MaglevBalancer implements Balancer {

    private final EndpointHealth health;
    private final int[] table;

    MaglevBalancer(EndpointSet endpoints) {
        health = endpoints.health();
        table = MaglevTable.build(endpoints);
    }

    @Override
    public int pick(int loop, long hashKey) {
        if (table.length == 0) {
            return NONE;
        }
        // The key's high bits scaled to the table: one multiplication, where a modulo would divide.
        int slot = (int) Math.unsignedMultiplyHigh(hashKey, table.length);
        int endpoint = table[slot];
        return health.isHealthy(endpoint) ? endpoint : probe(slot);
    }

    private int probe(int slot) {
        if (health.healthyCount() == 0) {
            return NONE;
        }
        for (int step = 1; step < table.length; step++) {
            slot = slot + 1 == table.length ? 0 : slot + 1;
            if (health.isHealthy(table[slot])) {
                return table[slot];
            }
        }
        return NONE;
    }

    /** The number of slots; for tests. */
    int tableSize() {
        return table.length;
    }
}
