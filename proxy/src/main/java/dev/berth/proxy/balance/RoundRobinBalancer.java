package dev.berth.proxy.balance;

/**
 * Round robin ({@link BalancingAlgorithm#ROUND_ROBIN}): each event loop walks the endpoints with its own
 * cursor, so no counter is shared between loops. Loops start at evenly spread offsets so that after a new
 * snapshot they do not all send their first request to endpoint 0. An unhealthy endpoint's turn goes to a
 * random healthy one rather than to its successor, which would otherwise take double traffic.
 */
final class RoundRobinBalancer implements Balancer {

    private final EndpointHealth health;
    private final int size;
    private final int[] cursors;
    private final LoopRandom random;

    RoundRobinBalancer(EndpointSet endpoints, int loops) {
        health = endpoints.health();
        size = endpoints.size();
        cursors = PerLoop.ints(loops);
        for (int loop = 0; loop < loops; loop++) {
            cursors[PerLoop.intSlot(loop)] = (int) ((long) loop * size / loops);
        }
        random = new LoopRandom(loops);
    }

    @Override
    public int pick(int loop, long hashKey) {
        if (size == 0) {
            return NONE;
        }
        int slot = PerLoop.intSlot(loop);
        int candidate = cursors[slot];
        cursors[slot] = candidate + 1 == size ? 0 : candidate + 1;
        return health.isHealthy(candidate) ? candidate : random.pickHealthy(loop, health);
    }
}
