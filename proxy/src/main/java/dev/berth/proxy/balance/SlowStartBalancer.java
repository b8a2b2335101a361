package dev.berth.proxy.balance;

/**
 * Slow start around another balancer ({@link Balancers#slowStart}): when the delegate picks an endpoint that
 * is still ramping, the pick stands with probability {@link SlowStart#factor} and otherwise the delegate
 * picks once more, so a cold endpoint takes roughly that fraction of its share. Re-picking keeps the
 * delegate's own logic (weights, load) for the traffic the ramping endpoint declines.
 *
 * <p>Settled endpoints cost one extra array read; the ticker is read only for a ramping endpoint, and the
 * first pick after the window ends marks the endpoint settled so later picks skip even that.
 */
final class SlowStartBalancer implements Balancer {

    private final Balancer delegate;
    private final EndpointHealth health;
    private final SlowStart ramp;
    private final long windowNanos;
    private final Ticker ticker;
    private final LoopRandom random;

    SlowStartBalancer(Balancer delegate, EndpointHealth health, SlowStart ramp, Ticker ticker, int loops) {
        this.delegate = delegate;
        this.health = health;
        this.ramp = ramp;
        this.windowNanos = ramp.window().toNanos();
        this.ticker = ticker;
        this.random = new LoopRandom(loops);
    }

    @Override
    public int pick(int loop, long hashKey) {
        int endpoint = delegate.pick(loop, hashKey);
        if (endpoint == NONE) {
            return NONE;
        }
        long rampStart = health.rampStart(endpoint);
        if (rampStart <= EndpointHealth.SETTLED) {
            return endpoint;
        }
        long elapsed = ticker.nanoTime() - rampStart;
        if (elapsed >= windowNanos) {
            health.settle(endpoint, rampStart);
            return endpoint;
        }
        if (random.nextDouble(loop) < ramp.factor(elapsed)) {
            return endpoint;
        }
        int other = delegate.pick(loop, hashKey);
        return other == NONE ? endpoint : other;
    }

    @Override
    public void onStart(int loop, int endpoint) {
        delegate.onStart(loop, endpoint);
    }

    @Override
    public void onFinish(int loop, int endpoint, long latencyNanos) {
        delegate.onFinish(loop, endpoint, latencyNanos);
    }
}
