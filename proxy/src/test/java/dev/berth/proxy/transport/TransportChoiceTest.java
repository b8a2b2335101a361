package dev.berth.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {

    private static final Optional<String> SAFE_RET = Optional.of("spec_rstack_overflow: Mitigation: Safe RET");

    private static Optional<String> everyTransport(Transport transport) {
        return Optional.empty();
    }

    @Test
    void autoTakesEpollFirstWhereKernelEntriesAreCheap() {
        TransportChoice choice = TransportChoice.choosePreferred(Optional.empty(), TransportChoiceTest::everyTransport);
        assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
        assertThat(choice.passedOver()).isEmpty();
        assertThat(choice.describe()).isEqualTo("epoll");
    }

    @Test
    void autoTakesIoUringFirstWhereKernelEntriesAreDearAndSaysWhy() {
        TransportChoice choice = TransportChoice.choosePreferred(SAFE_RET, TransportChoiceTest::everyTransport);
        assertThat(choice.transport()).isEqualTo(Transport.IO_URING);
        assertThat(choice.describe())
                .isEqualTo("io_uring (first where kernel entries are dear: spec_rstack_overflow: Mitigation: Safe RET)");
    }

    @Test
    void whereIoUringIsRefusedAutoTakesEpollAndSaysWhy() { // a container whose seccomp profile refuses io_uring
        TransportChoice choice = TransportChoice.choosePreferred(SAFE_RET,
                transport -> transport == Transport.IO_URING ? Optional.of("Operation not permitted") : Optional.empty());
        assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
        assertThat(choice.describe()).isEqualTo("epoll (passed over io_uring: Operation not permitted)");
    }

    @Test
    void withoutTheNativeTransportsAutoTakesNio() {
        TransportChoice choice = TransportChoice.choosePreferred(Optional.empty(),
                transport -> transport == Transport.NIO ? Optional.empty() : Optional.of("no native library"));
        assertThat(choice.transport()).isEqualTo(Transport.NIO);
        assertThat(choice.passedOver()).containsExactly("epoll: no native library", "io_uring: no native library");
    }

    @Test
    void autoOnThisHostTakesTheFirstAvailableInItsKernelsOrder() {
        Transport expected = Transport.preferred(KernelEntryCost.ofThisHost().isPresent()).stream()
                .filter(transport -> transport.unavailabilityCause().isEmpty()).findFirst().orElseThrow();
        assertThat(TransportChoice.choose("auto").transport()).isEqualTo(expected);
    }

    @Test
    void ioUringIsTakenWhenNamed() {
        assumeTrue(IoUring.isAvailable());
        TransportChoice choice = TransportChoice.choose("io_uring");
        assertThat(choice.transport()).isEqualTo(Transport.IO_URING);
        assertThat(choice.passedOver()).isEmpty();
    }

    @Test
    void nioCanAlwaysBeForced() {
        assertThat(TransportChoice.choose("nio").transport()).isEqualTo(Transport.NIO);
    }

    @Test
    void unknownNameSaysWhatIsExpected() {
        assertThatThrownBy(() -> TransportChoice.choose("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport 'kqueue' (expected: auto, epoll, io_uring or nio)");
    }
}
