package dev.berth.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {

    @Test
    void autoTakesEpollWhereTheHostOffersIt() {
        assumeTrue(Epoll.isAvailable());
        TransportChoice choice = TransportChoice.choose("auto");
        assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
        assertThat(choice.passedOver()).isEmpty();
    }

    @Test
    void autoFallsBackWithAReasonWhenEpollIsMissing() {
        assumeTrue(!Epoll.isAvailable());
        TransportChoice choice = TransportChoice.choose("auto");
        assertThat(choice.transport()).isNotEqualTo(Transport.EPOLL);
        assertThat(choice.passedOver().getFirst()).startsWith("epoll: ");
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
