package dev.berth.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {

    @Test
    void autoTakesIoUringWhereTheKernelOffersIt() {
        assumeTrue(IoUring.isAvailable());
        TransportChoice choice = TransportChoice.choose("auto");
        assertThat(choice.transport()).isEqualTo(Transport.IO_URING);
        assertThat(choice.passedOver()).isEmpty();
    }

    @Test
    void autoFallsBackWithAReasonWhenIoUringIsMissing() {
        assumeTrue(!IoUring.isAvailable() && Epoll.isAvailable());
        TransportChoice choice = TransportChoice.choose("auto");
        assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
        assertThat(choice.passedOver()).singleElement().asString().startsWith("io_uring: ");
    }

    @Test
    void nioCanAlwaysBeForced() {
        assertThat(TransportChoice.choose("nio").transport()).isEqualTo(Transport.NIO);
    }

    @Test
    void unknownNameSaysWhatIsExpected() {
        assertThatThrownBy(() -> TransportChoice.choose("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport 'kqueue' (expected: auto, io_uring, epoll or nio)");
    }
}
