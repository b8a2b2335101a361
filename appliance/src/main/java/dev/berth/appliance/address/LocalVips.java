package dev.berth.appliance.address;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.ffm.InterfaceAddresses;
import dev.berth.l2.pool.AddressRange;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the VIPs this node owns local (host addresses on {@code lo}) so that the kernel delivers their packets to
 * Berth's own listeners, and only those: every address on {@code lo} inside a pool that this node does not own is
 * removed, which also clears what a SIGKILLed predecessor left behind. The kernel itself must not answer ARP for them
 * (only the live process does, so that a dead one falls silent): {@code arp_ignore=1} and {@code arp_announce=2} are
 * set on the announcing interfaces. Needs CAP_NET_ADMIN.
 */
final class LocalVips {
    private static final Logger log = LoggerFactory.getLogger(LocalVips.class);
    private static final String LOOPBACK = "lo";

    private final Set<String> tunedInterfaces = new HashSet<>();

    void reconcile(Set<InetAddress> owned, Snapshot snapshot, List<String> interfaces) {
        tune(interfaces);
        List<AddressRange> pools = snapshot.ipAddressPools().stream()
                .map(IPAddressPool::getSpec)
                .flatMap(spec -> spec.addresses().stream())
                .map(AddressRange::parse)
                .toList();
        try {
            Set<InetAddress> present = new HashSet<>();
            for (InetAddress address : InterfaceAddresses.list(LOOPBACK)) {
                if (pools.stream().anyMatch(range -> range.contains(address))) {
                    present.add(address);
                }
            }
            for (InetAddress address : owned) {
                if (!present.contains(address)) {
                    InterfaceAddresses.add(LOOPBACK, address);
                    log.info("{} is local now", address.getHostAddress());
                }
            }
            for (InetAddress address : present) {
                if (!owned.contains(address)) {
                    InterfaceAddresses.remove(LOOPBACK, address);
                    log.info("{} is no longer local", address.getHostAddress());
                }
            }
        } catch (IOException e) {
            log.error("cannot make the owned VIPs local: {}", e.getMessage());
        }
    }

    /** Only the live process answers ARP for a VIP: the kernel answers for addresses of the receiving interface only. */
    private void tune(List<String> interfaces) {
        for (String name : interfaces) {
            if (tunedInterfaces.add(name)) {
                write("/proc/sys/net/ipv4/conf/" + name + "/arp_ignore", "1");
                write("/proc/sys/net/ipv4/conf/" + name + "/arp_announce", "2");
            }
        }
    }

    private static void write(String sysctl, String value) {
        try {
            Files.writeString(Path.of(sysctl), value);
        } catch (IOException e) {
            log.warn("cannot set {} = {} ({}); the kernel may answer ARP for local VIPs itself", sysctl, value, e.getMessage());
        }
    }

    void clear(Snapshot snapshot) {
        reconcile(Set.of(), snapshot, List.of());
    }
}
