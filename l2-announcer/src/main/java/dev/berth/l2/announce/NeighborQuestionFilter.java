package dev.berth.l2.announce;

import dev.berth.l2.ffm.SocketFilter;
import dev.berth.l2.ffm.SocketFilter.Instruction;
import java.util.List;

/**
 * The kernel-side filter of the announcer's packet sockets: ARP, and ICMPv6 neighbour solicitations and advertisements
 * right after the IPv6 header (solicitations to answer, advertisements to hear another node {@link Claims claim} an
 * address). Everything else on the interface (the data plane's traffic) never reaches user space.
 */
final class NeighborQuestionFilter {

    private static final int ACCEPT_WHOLE_FRAME = 0x40000;

    /**
     * <pre>
     * 0 ldh [12]                  EtherType
     * 1 jeq #0x0806  → 8 : 2      ARP
     * 2 jeq #0x86dd  → 3 : 9      IPv6
     * 3 ldb [20]                  next header
     * 4 jeq #58      → 5 : 9      ICMPv6
     * 5 ldb [54]                  ICMPv6 type
     * 6 jeq #135     → 8 : 7      neighbour solicitation
     * 7 jeq #136     → 8 : 9      neighbour advertisement
     * 8 ret #262144               accept
     * 9 ret #0                    drop
     * </pre>
     */
    static final SocketFilter PROGRAM = new SocketFilter(List.of(
            Instruction.statement(SocketFilter.LOAD_HALF_ABSOLUTE, 12),
            Instruction.jump(SocketFilter.JUMP_IF_EQUAL, 0x0806, 6, 0),
            Instruction.jump(SocketFilter.JUMP_IF_EQUAL, 0x86dd, 0, 6),
            Instruction.statement(SocketFilter.LOAD_BYTE_ABSOLUTE, 20),
            Instruction.jump(SocketFilter.JUMP_IF_EQUAL, 58, 0, 4),
            Instruction.statement(SocketFilter.LOAD_BYTE_ABSOLUTE, 54),
            Instruction.jump(SocketFilter.JUMP_IF_EQUAL, 135, 1, 0),
            Instruction.jump(SocketFilter.JUMP_IF_EQUAL, 136, 0, 1),
            Instruction.statement(SocketFilter.RETURN, ACCEPT_WHOLE_FRAME),
            Instruction.statement(SocketFilter.RETURN, 0)));

    private NeighborQuestionFilter() {}
}
