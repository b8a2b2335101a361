package dev.berth.l2.announce;

import dev.berth.l2.frame.DecodeFailure;
import dev.berth.l2.frame.Decoded;
import dev.berth.l2.frame.Ipv6Multicast;
import dev.berth.l2.frame.MacAddress;
import dev.berth.l2.frame.NdpFrame;
import dev.berth.l2.frame.NdpMessage.NeighborAdvertisement;
import dev.berth.l2.frame.NdpMessage.NeighborSolicitation;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Answers IPv6 neighbour solicitations for owned addresses with a solicited, overriding advertisement carrying
 * the receiving interface's MAC: the NDP twin of {@link ArpResponder}. Handles the three kinds of NS: multicast
 * address resolution, unicast reachability probes (NUD) and duplicate address detection from {@code ::}.
 */
public enum NdpResponder implements Responder {
    INSTANCE;

    @Override
    public Verdict respond(byte[] frame, int length, Link link, Set<InetAddress> owned) {
        return switch (NdpFrame.decode(frame, length)) {
            case Decoded.Frame<NdpFrame>(NdpFrame ndp) -> answer(ndp, link, owned);
            case Decoded.Failed<NdpFrame>(DecodeFailure failure) -> Verdict.drop(switch (failure) {
                case SHORT_FRAME -> DropReason.SHORT_FRAME;
                case WRONG_ETHERTYPE -> DropReason.NOT_IPV6;
                case TRUNCATED -> DropReason.TRUNCATED;
                case MALFORMED -> DropReason.MALFORMED;
                case NOT_ICMPV6 -> DropReason.NOT_ICMPV6;
                case NOT_NEIGHBOR_DISCOVERY -> DropReason.NOT_NEIGHBOR_DISCOVERY;
                case BAD_CHECKSUM -> DropReason.BAD_CHECKSUM;
            });
        };
    }

    private static Verdict answer(NdpFrame ndp, Link link, Set<InetAddress> owned) {
        if (ndp.ethernetSource().equals(link.mac())) {
            return Verdict.drop(DropReason.FROM_SELF);
        }
        if (!(ndp.message() instanceof NeighborSolicitation solicitation)) {
            return Verdict.drop(DropReason.NEIGHBOR_ADVERTISEMENT);
        }
        if (ndp.hopLimit() != NdpFrame.NDP_HOP_LIMIT) {
            return Verdict.drop(DropReason.BAD_HOP_LIMIT);
        }
        if (!addressedToUs(ndp, link.mac())) {
            return Verdict.drop(DropReason.WRONG_ETHERNET_DESTINATION);
        }
        Inet6Address target = solicitation.target();
        Inet6Address solicitedNode = Ipv6Multicast.solicitedNode(target);
        if (!ndp.ipDestination().equals(solicitedNode) && !ndp.ipDestination().equals(target)) {
            return Verdict.drop(DropReason.WRONG_IP_DESTINATION);
        }
        boolean duplicateAddressDetection = ndp.ipSource().isAnyLocalAddress();
        if (duplicateAddressDetection
                && (!ndp.ipDestination().equals(solicitedNode) || solicitation.sourceLinkAddress().isPresent())) {
            // RFC 4861 section 7.1.1: a DAD probe goes to the solicited-node group and carries no link address.
            return Verdict.drop(DropReason.MALFORMED);
        }
        if (!owned.contains(target)) {
            return Verdict.drop(DropReason.NOT_OWNED);
        }
        return new Verdict.Reply(advertisement(ndp, solicitation, link.mac(), duplicateAddressDetection).encode());
    }

    private static boolean addressedToUs(NdpFrame ndp, MacAddress ours) {
        MacAddress destination = ndp.ethernetDestination();
        return destination.equals(ours)
                || (ndp.ipDestination().isMulticastAddress() && destination.equals(Ipv6Multicast.mac(ndp.ipDestination())));
    }

    /**
     * RFC 4861 section 7.2.4: to the asker, solicited; a DAD probe has no address to answer to, so the answer
     * goes to all nodes and is not marked solicited. Override is set in both: the address is ours, not proxied.
     */
    private static NdpFrame advertisement(
            NdpFrame ndp, NeighborSolicitation solicitation, MacAddress ours, boolean duplicateAddressDetection) {
        Inet6Address target = solicitation.target();
        NeighborAdvertisement answer = new NeighborAdvertisement(
                target, false, !duplicateAddressDetection, true, Optional.of(ours));
        if (duplicateAddressDetection) {
            return new NdpFrame(Ipv6Multicast.mac(Ipv6Multicast.ALL_NODES), ours, target, Ipv6Multicast.ALL_NODES,
                    NdpFrame.NDP_HOP_LIMIT, answer);
        }
        MacAddress asker = solicitation.sourceLinkAddress().orElse(ndp.ethernetSource());
        return new NdpFrame(asker, ours, target, ndp.ipSource(), NdpFrame.NDP_HOP_LIMIT, answer);
    }
}
