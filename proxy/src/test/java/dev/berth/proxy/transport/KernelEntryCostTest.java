package dev.berth.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lines of /sys/devices/system/cpu/vulnerabilities as kernels print them, and which make kernel entries dear. */
class KernelEntryCostTest {

    private static Optional<String> dearEntry(String file, String line) {
        return KernelEntryCost.dearEntry(name -> Optional.ofNullable(Map.of(file, line + "\n").get(name)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            spec_rstack_overflow | Vulnerable: Safe RET, no microcode
            spec_rstack_overflow | Mitigation: Safe RET
            spec_rstack_overflow | Mitigation: IBPB
            retbleed             | Mitigation: untrained return thunk; SMT vulnerable
            retbleed             | Mitigation: IBRS
            retbleed             | Mitigation: IBPB
            retbleed             | Mitigation: Stuffing
            meltdown             | Mitigation: PTI
            """)
    void aMitigationOnEachEntryOrReturnMakesThemDear(String file, String line) {
        assertThat(dearEntry(file, line)).contains(file + ": " + line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            spec_rstack_overflow | Mitigation: IBPB on VMEXIT only
            spec_rstack_overflow | Vulnerable: No microcode
            spec_rstack_overflow | Not affected
            retbleed             | Mitigation: Enhanced IBRS
            retbleed             | Vulnerable
            retbleed             | Not affected
            meltdown             | Not affected
            meltdown             | Vulnerable
            """)
    void aMitigationAtNoCostPerEntryOrNoneLeavesThemCheap(String file, String line) {
        assertThat(dearEntry(file, line)).isEmpty();
    }

    @Test
    void aKernelThatSaysNothingLeavesThemCheap() {
        assertThat(KernelEntryCost.dearEntry(file -> Optional.empty())).isEmpty();
    }
}
