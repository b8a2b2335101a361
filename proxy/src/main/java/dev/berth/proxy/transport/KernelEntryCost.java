package dev.berth.proxy.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Whether entering the kernel is dear on this host: whether the kernel runs, on every system call, a mitigation of a
 * CPU flaw that adds work to each entry or each return (a page-table switch, a return thunk, a predictor barrier).
 * This is what tips the choice of transport: io_uring submits a loop turn's operations in one call and needs no
 * {@code epoll_ctl} per connection; epoll makes a call or more per socket event, but sends a response right after
 * reading it, where io_uring sends a turn's responses only after reading them all, so large ones leave the cache in
 * between. On an AMD EPYC host with SRSO's Safe RET (a {@code getppid} round trip 166 ns), io_uring served 1.20× what
 * epoll did on a connection per request, 1.14× on h2c and 1.08× on 1 KiB keep-alive, 0.94× on 64 KiB; on an Intel
 * Xeon host without such a mitigation it was level on small messages and 0.80× on 64 KiB (benchmarks/README.md,
 * tuning log). Read from the kernel's own account of its mitigations, {@code /sys/devices/system/cpu/vulnerabilities}.
 */
final class KernelEntryCost {
    private static final Path VULNERABILITIES = Path.of("/sys/devices/system/cpu/vulnerabilities");

    /** A vulnerability file and whether its line names a mitigation that runs on each kernel entry or return. */
    private record PerEntry(String file, Predicate<String> inForce) {
    }

    private static final PerEntry[] PER_ENTRY = {
        // Meltdown's kernel page-table isolation: the page tables switched on each entry and exit
        new PerEntry("meltdown", line -> line.contains("PTI")),
        // Retbleed: a return thunk (AMD Zen 1/2), call-depth stuffing, IBRS or IBPB on each entry; not Enhanced IBRS,
        // which the CPU keeps on at no cost per entry
        new PerEntry("retbleed", line -> line.startsWith("Mitigation:") && !line.contains("Enhanced IBRS")),
        // SRSO (AMD Zen 3/4): the Safe RET thunk on each return, or IBPB on each entry; "IBPB on VMEXIT only" is a
        // hypervisor's, which a guest's system calls do not pay
        new PerEntry("spec_rstack_overflow",
                line -> line.contains("Safe RET") || (line.contains("IBPB") && !line.contains("VMEXIT"))),
    };

    private KernelEntryCost() {
    }

    /** The first mitigation in force that makes kernel entries dear, as its file and line; empty if none is. */
    static Optional<String> dearEntry(Function<String, Optional<String>> vulnerability) {
        for (PerEntry mitigation : PER_ENTRY) {
            Optional<String> line = vulnerability.apply(mitigation.file()).map(String::strip);
            if (line.isPresent() && mitigation.inForce().test(line.get())) {
                return Optional.of(mitigation.file() + ": " + line.get());
            }
        }
        return Optional.empty();
    }

    /** {@link #dearEntry} of this host's kernel; empty where it does not say (an older kernel, no sysfs). */
    static Optional<String> ofThisHost() {
        return dearEntry(file -> {
            try {
                return Optional.of(Files.readString(VULNERABILITIES.resolve(file)));
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        });
    }
}
