package dev.berth.proxy.balance;

/**
 * Random ({@link BalancingAlgorithm#RANDOM}): a uniformly random healthy endpoint, ignoring weights. The
 * cheapest balancer and, with many loops and many clients, as even as round robin; each loop has its own
 * random seed, so nothing is shared.
 */
final class RandomBalancer implements Balancer {

    private final EndpointHealth health;
    private final LoopRandom random;

    RandomBalancer(EndpointSet endpoints, int loops) {
        health = endpoints.health();
        random = new LoopRandom(loops);
    }

    @Override
    public int pick(int loop, long hashKey) {
        return random.pickHealthy(loop, health);
    }
}
