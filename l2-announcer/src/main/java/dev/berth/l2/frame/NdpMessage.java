package dev.berth.l2.frame;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;

/** The two neighbour-discovery messages (RFC 4861 section 4.3 and 4.4) the announcer reads and writes. */
public sealed interface NdpMessage {

    int TYPE_NEIGHBOR_SOLICITATION = 135;
    int TYPE_NEIGHBOR_ADVERTISEMENT = 136;

    /** The address the message is about. */
    Inet6Address target();

    /** "Who has {@code target}?"; the link-layer address option is absent in duplicate address detection. */
    record NeighborSolicitation(Inet6Address target, Optional<MacAddress> sourceLinkAddress) implements NdpMessage {
        public NeighborSolicitation {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(sourceLinkAddress, "sourceLinkAddress");
        }
    }

    /**
     * "{@code target} is at {@code targetLinkAddress}". {@code solicited} answers a solicitation; {@code override}
     * tells the receiver to replace a cached address, which is what moves a VIP to another node.
     */
    record NeighborAdvertisement(
            Inet6Address target,
            boolean router,
            boolean solicited,
            boolean override,
            Optional<MacAddress> targetLinkAddress)
            implements NdpMessage {
        public NeighborAdvertisement {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(targetLinkAddress, "targetLinkAddress");
        }
    }
}
