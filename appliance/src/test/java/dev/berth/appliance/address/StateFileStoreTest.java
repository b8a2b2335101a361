package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileStoreTest {
    @TempDir
    Path state;

    private static Allocation allocation(String service, String pool, String... ips) {
        return new Allocation(ServiceKey.parse(service), pool, List.of(ips).stream().map(InetAddress::ofLiteral).toList());
    }

    @Test
    void whatIsSavedIsLoadedByTheNextProcess() {
        try (StateFileStore store = StateFileStore.open(state)) {
            assertThat(store.load(Snapshot.EMPTY)).isEmpty();
            store.save(List.of(allocation("shop/web", "lan", "192.0.2.10", "2001:db8::10")));
        }
        try (StateFileStore store = StateFileStore.open(state)) {
            assertThat(store.load(Snapshot.EMPTY)).containsEntry(ServiceKey.parse("shop/web"),
                    List.of(InetAddress.ofLiteral("192.0.2.10"), InetAddress.ofLiteral("2001:db8::10")));
        }
        assertThat(state.resolve(StateFileStore.FILE + ".tmp")).doesNotExist();
    }

    @Test
    void aCorruptFileStopsTheStartWithAClearMessage() throws Exception {
        Files.writeString(state.resolve(StateFileStore.FILE), "{\"format\": 1, \"allocations\": [{\"namespace\": \"shop\"");
        assertThatThrownBy(() -> StateFileStore.open(state))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allocations.json is unreadable or corrupt")
                .hasMessageContaining("will not start and re-allocate blindly");
    }

    @Test
    void anAddressThatIsNotOneIsCorruption() throws Exception {
        Files.writeString(state.resolve(StateFileStore.FILE),
                "{\"format\": 1, \"allocations\": [{\"namespace\": \"shop\", \"name\": \"web\", \"pool\": \"lan\", \"ips\": [\"192.0.2.999\"]}]}");
        assertThatThrownBy(() -> StateFileStore.open(state)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oneProcessPerStateDirectory() {
        try (StateFileStore first = StateFileStore.open(state)) {
            assertThatThrownBy(() -> StateFileStore.open(state))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another berth process is using it");
        }
    }
}
