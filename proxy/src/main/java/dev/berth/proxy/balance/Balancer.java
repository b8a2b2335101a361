package dev.berth.proxy.balance;

/**
 * Picks the endpoint for the next request of one Backend; made by a {@link BalancingPolicy} for one
 * {@link EndpointSet} and called by the relay on its event loop, once per request.
 *
 * <p>Every method takes the caller's event-loop index, {@code 0 <= loop < loops} as given to
 * {@link BalancingPolicy#newBalancer}: state that changes per request (cursors, in-flight counts, latency
 * estimates, random seeds) is kept per loop, so two loops never write the same cache line, and
 * {@code onStart}/{@code onFinish} for a request must come from the loop that picked it (they do: the
 * upstream connection lives on the downstream's loop). Nothing here allocates.
 *
 * <p>Example: round robin over a, b, c picks a b c a b c; smooth weighted round robin over weights
 * 5, 1, 1 picks a a b a c a a.
 */
public interface Balancer {

    /** Returned by {@link #pick} when no endpoint is healthy, including when there are none. */
    int NONE = -1;

    /**
     * The index of the endpoint in {@link EndpointSet#endpoints()} for the next request, or {@link #NONE}.
     *
     * @param loop the caller's event-loop index
     * @param hashKey a 64-bit hash of what requests with affinity share (client IP, header or cookie, see
     *     {@link HashKeys}); ignored by all but hashing balancers
     */
    int pick(int loop, long hashKey);

    /** A request to the picked endpoint was sent; load-aware balancers count it as in flight. */
    default void onStart(int loop, int endpoint) {
    }

    /**
     * A request started with {@link #onStart} has finished (answered, failed or cancelled).
     *
     * @param latencyNanos how long it took, as the caller measured it; latency-aware balancers learn from it
     */
    default void onFinish(int loop, int endpoint, long latencyNanos) {
    }
}
