package dev.berth.l2.announce;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.DecodeFailure;
import dev.berth.l2.frame.Decoded;
import dev.berth.l2.frame.MacAddress;
import java.net.InetAddress;
import java.util.Set;

/**
 * Answers ARP requests for owned IPv4 addresses with the receiving interface's MAC. Sits between the receive
 * loop of {@link Announcer} and the socket: frame in, reply or {@link DropReason} out.
 */
public enum ArpResponder implements Responder {
    INSTANCE;

    @Override
    public Verdict respond(byte[] frame, int length, Link link, Set<InetAddress> owned) {
        return switch (ArpFrame.decode(frame, length)) {
            case Decoded.Frame<ArpFrame>(ArpFrame arp) -> answer(arp, link, owned);
            case Decoded.Failed<ArpFrame>(DecodeFailure failure) -> Verdict.drop(switch (failure) {
                case SHORT_FRAME -> DropReason.SHORT_FRAME;
                case WRONG_ETHERTYPE -> DropReason.NOT_ARP;
                case TRUNCATED -> DropReason.TRUNCATED;
                default -> DropReason.MALFORMED;
            });
        };
    }

    private static Verdict answer(ArpFrame arp, Link link, Set<InetAddress> owned) {
        if (arp.ethernetSource().equals(link.mac())) {
            return Verdict.drop(DropReason.FROM_SELF);
        }
        if (arp.operation() == ArpFrame.REPLY) {
            return Verdict.drop(DropReason.ARP_REPLY);
        }
        if (arp.operation() != ArpFrame.REQUEST) {
            return Verdict.drop(DropReason.UNSUPPORTED_OPERATION);
        }
        MacAddress destination = arp.ethernetDestination();
        if (!destination.equals(MacAddress.BROADCAST) && !destination.equals(link.mac())) {
            return Verdict.drop(DropReason.WRONG_ETHERNET_DESTINATION);
        }
        if (arp.senderMac().isMulticast()) {
            return Verdict.drop(DropReason.MALFORMED);
        }
        if (arp.isGratuitous()) {
            return Verdict.drop(DropReason.GRATUITOUS);
        }
        if (!owned.contains(arp.targetIp())) {
            return Verdict.drop(DropReason.NOT_OWNED);
        }
        // Probes (sender 0.0.0.0, RFC 5227) are answered too: that is how the owner defends the address.
        return new Verdict.Reply(ArpFrame.reply(arp, link.mac()).encode());
    }
}
