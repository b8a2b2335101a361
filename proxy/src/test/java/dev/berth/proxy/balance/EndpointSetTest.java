package dev.berth.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSetTest {

    @Test
    void endpointArgumentsSayWhatIsExpected() {
        assertThatThrownBy(() -> Endpoint.of("192.0.2.1", 80, 0)).hasMessage("weight: 0 (expected: > 0)");
        assertThatThrownBy(() -> Endpoint.of("192.0.2.1", 0)).hasMessage("port: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> Endpoint.of("backend.example", 80)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesTheListItWasGivenAndLeavesItAlone() {
        List<Endpoint> input = new ArrayList<>(TestEndpoints.list(2));
        List<Endpoint> original = List.copyOf(input);

        EndpointSet endpoints = EndpointSet.of(input);
        input.clear();

        assertThat(endpoints.endpoints()).isEqualTo(original);
        assertThat(endpoints.size()).isEqualTo(2);
    }

    @Test
    void healthMustCoverEveryEndpoint() {
        assertThatThrownBy(() -> new EndpointSet(TestEndpoints.list(3), EndpointHealth.allHealthy(2)))
                .hasMessage("health: size 2 (expected: 3, one per endpoint)");
    }

    @Test
    void healthyCountFollowsTransitionsNotCalls() {
        EndpointHealth health = EndpointHealth.allHealthy(3);
        health.markUnhealthy(1);
        health.markUnhealthy(1);
        health.markHealthySince(2, 5);
        assertThat(health.healthyCount()).isEqualTo(2);

        health.markHealthy(1);
        health.markHealthy(1);
        assertThat(health.healthyCount()).isEqualTo(3);
        assertThat(health.isHealthy(2)).isTrue();
        assertThat(health.rampStart(2)).isEqualTo(5);
    }
}
