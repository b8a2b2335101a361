package dev.berth.proxy.balance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Endpoint lists for tests, on documentation addresses (192.0.2.0/24) only. */
final class TestEndpoints {

    private TestEndpoints() {
    }

    /** {@code count} endpoints of weight 1; beyond 254 they differ by port. */
    static List<Endpoint> list(int count) {
        int[] weights = new int[count];
        Arrays.fill(weights, 1);
        return weighted(weights);
    }

    static List<Endpoint> weighted(int... weights) {
        List<Endpoint> endpoints = new ArrayList<>(weights.length);
        for (int i = 0; i < weights.length; i++) {
            endpoints.add(Endpoint.of("192.0.2." + (1 + i % 254), 8080 + i / 254, weights[i]));
        }
        return endpoints;
    }

    static EndpointSet set(int count) {
        return EndpointSet.of(list(count));
    }

    static EndpointSet set(int... weights) {
        return EndpointSet.of(weighted(weights));
    }

    /** How often each endpoint is picked in {@code picks} picks on loop 0. */
    static int[] counts(Balancer balancer, int size, int picks) {
        int[] counts = new int[size];
        for (int i = 0; i < picks; i++) {
            counts[balancer.pick(0, i)]++;
        }
        return counts;
    }

    /** The first {@code picks} picks on loop 0 as letters: 0 → a, 1 → b. */
    static String sequence(Balancer balancer, int picks) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < picks; i++) {
            letters.append(i == 0 ? "" : " ").append((char) ('a' + balancer.pick(0, i)));
        }
        return letters.toString();
    }
}
