package dev.berth.l2.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.AssignResult.Allocated;
import dev.berth.l2.allocator.AssignResult.Rejected;
import dev.berth.l2.allocator.PoolsResult.Applied;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/** Short spellings for allocator tests: literals in, records out. */
final class Fixtures {

    private Fixtures() {}

    static ServiceRequest svc(String namespaceSlashName) {
        return ServiceRequest.of(namespaceSlashName);
    }

    static List<InetAddress> ips(String... literals) {
        return Arrays.stream(literals).map(InetAddress::ofLiteral).toList();
    }

    /** An allocator with {@code pools} in force. */
    static Allocator allocatorWith(AddressPool... pools) {
        Allocator allocator = new Allocator();
        assertThat(allocator.apply(List.of(pools))).isInstanceOf(Applied.class);
        return allocator;
    }

    /** Assigns and insists on success; returns the addresses as text. */
    static List<String> assigned(Allocator allocator, ServiceRequest request) {
        AssignResult result = allocator.assign(request);
        assertThat(result).as("assign %s", request.service()).isInstanceOf(Allocated.class);
        return texts(((Allocated) result).allocation().ips());
    }

    /** Assigns and insists on a rejection; returns its problem. */
    static String rejected(Allocator allocator, ServiceRequest request) {
        AssignResult result = allocator.assign(request);
        assertThat(result).as("assign %s", request.service()).isInstanceOf(Rejected.class);
        return ((Rejected) result).problem();
    }

    static List<String> texts(List<InetAddress> addresses) {
        return addresses.stream().map(Ip::text).toList();
    }
}
