package dev.berth.l2.ffm;

import java.util.List;

/**
 * A classic BPF program for {@code SO_ATTACH_FILTER}: the kernel runs it on every frame and copies to user space
 * only those it accepts, so that a packet socket bound to a busy interface wakes up for neighbour questions only.
 */
public record SocketFilter(List<Instruction> instructions) {

    public static final int LOAD_HALF_ABSOLUTE = 0x28;
    public static final int LOAD_BYTE_ABSOLUTE = 0x30;
    public static final int JUMP_IF_EQUAL = 0x15;
    public static final int RETURN = 0x06;

    public SocketFilter {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > 4096) {
            throw new IllegalArgumentException("BPF instructions: " + instructions.size() + " (expected: 1..4096)");
        }
    }

    /** One {@code struct sock_filter}: jumps are counted in instructions after the next one. */
    public record Instruction(int code, int jumpIfTrue, int jumpIfFalse, int k) {
        public Instruction {
            if (code < 0 || code > 0xffff || jumpIfTrue < 0 || jumpIfTrue > 0xff || jumpIfFalse < 0 || jumpIfFalse > 0xff) {
                throw new IllegalArgumentException("BPF instruction: code " + code + ", jt " + jumpIfTrue + ", jf "
                        + jumpIfFalse + " (expected: code 16 bits, jumps 8 bits)");
            }
        }

        public static Instruction statement(int code, int k) {
            return new Instruction(code, 0, 0, k);
        }

        public static Instruction jump(int code, int k, int jumpIfTrue, int jumpIfFalse) {
            return new Instruction(code, jumpIfTrue, jumpIfFalse, k);
        }
    }
}
