package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.tls.TlsLibrary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The h2c switch at the level of bytes: what an h2 client sends first must reach the h2 codec exactly as sent. */
class H2cSwitchTest {
    private static final Duration IDLE = Duration.ofSeconds(30);

    private static EmbeddedChannel connection() {
        ProxyContext shared = new ProxyContext(1, NioSocketChannel.class, Duration.ofSeconds(1), Duration.ofSeconds(1), IDLE, 8, List.of(),
                TlsLibrary.AUTO);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAutoRead(false);
        channel.pipeline()
                .addLast(HandlerNames.HTTP_CODEC, HttpDecoding.serverCodec())
                .addLast(HandlerNames.FRONTEND, new FrontendHandler(shared, "http", IDLE, new H2cSwitch(shared, IDLE)));
        return channel;
    }

    /** The server's connection window goes from h2's 64 KiB to Berth's right after its SETTINGS. */
    private static final String CONNECTION_WINDOW_WIDENED = "WINDOW_UPDATE " + (H2ConnectionWindow.BYTES - 65_535);

    /**
     * The client preface and an empty SETTINGS frame, in one segment: the server answers with its SETTINGS, a wider
     * connection window, and an ACK.
     */
    @Test
    void onlyABodilessRequestWithoutAnExpectationIsOfferedTheUpgrade() {
        assertThat(H2cSwitch.offersUpgrade(upgradeRequest())).isTrue();
        io.netty.handler.codec.http.HttpRequest withBody = upgradeRequest();
        withBody.headers().set("Content-Length", "32");
        assertThat(H2cSwitch.offersUpgrade(withBody)).isFalse();
        io.netty.handler.codec.http.HttpRequest expecting = upgradeRequest();
        expecting.headers().set("Expect", "x");
        assertThat(H2cSwitch.offersUpgrade(expecting)).isFalse();
        io.netty.handler.codec.http.HttpRequest chunked = upgradeRequest();
        chunked.headers().set("Transfer-Encoding", "chunked");
        assertThat(H2cSwitch.offersUpgrade(chunked)).isFalse();
    }

    private static io.netty.handler.codec.http.HttpRequest upgradeRequest() {
        io.netty.handler.codec.http.HttpRequest request = new io.netty.handler.codec.http.DefaultHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.POST, "/");
        request.headers().set("Upgrade", "h2c").set("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA").set("Connection", "Upgrade, HTTP2-Settings");
        return request;
    }

    @Test
    void thePrefaceInOneSegmentSwitchesToH2() {
        EmbeddedChannel channel = connection();
        ByteBuf fromClient = Unpooled.buffer().writeBytes(Http2CodecUtil.connectionPrefaceBuf()).writeBytes(emptySettings());
        channel.writeInbound(fromClient);

        assertThat(frameTypes(channel)).containsExactly("SETTINGS", CONNECTION_WINDOW_WIDENED, "SETTINGS ACK");
        assertThat(channel.isActive()).isTrue();
        assertThat(channel.pipeline().names()).contains(HandlerNames.H2C).doesNotContain(HandlerNames.HTTP_CODEC, HandlerNames.FRONTEND);
    }

    /** A client whose preface arrives in three pieces, the first ending inside the part parsed as an HTTP/1.1 head. */
    @Test
    void aPrefaceInPiecesSwitchesToH2() {
        EmbeddedChannel channel = connection();
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        channel.writeInbound(preface.readRetainedSlice(7)); // "PRI * H"
        assertThat(channel.pipeline().names()).contains(HandlerNames.HTTP_CODEC, HandlerNames.FRONTEND);
        channel.writeInbound(preface.readRetainedSlice(11)); // "TTP/2.0\r\n\r\n": the head is complete, the switch made
        assertThat(channel.pipeline().names()).contains(HandlerNames.H2C).doesNotContain(HandlerNames.HTTP_CODEC);
        channel.writeInbound(Unpooled.buffer().writeBytes(preface).writeBytes(emptySettings()));
        preface.release();

        assertThat(frameTypes(channel)).containsExactly("SETTINGS", CONNECTION_WINDOW_WIDENED, "SETTINGS ACK");
        assertThat(channel.isActive()).isTrue();
    }

    /** {@code PRI *} with a header is not the preface; the connection stays HTTP/1.1 and answers it (no route here). */
    @Test
    void aPriRequestWithHeadersStaysHttp1() {
        EmbeddedChannel channel = connection();
        channel.writeInbound(Unpooled.copiedBuffer("PRI * HTTP/2.0\r\nHost: a.example\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();

        assertThat(channel.pipeline().names()).contains(HandlerNames.HTTP_CODEC, HandlerNames.FRONTEND).doesNotContain(HandlerNames.H2C);
        assertThat(http1Answer(channel)).startsWith("HTTP/1.1 404 ");
    }

    /** A second request on a connection may not switch it: prior knowledge is the connection's first bytes or nothing. */
    @Test
    void onlyTheFirstRequestMaySwitch() {
        EmbeddedChannel channel = connection();
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        assertThat(http1Answer(channel)).startsWith("HTTP/1.1 404 ");
        channel.writeInbound(Http2CodecUtil.connectionPrefaceBuf());
        channel.runPendingTasks();

        assertThat(channel.pipeline().names()).doesNotContain(HandlerNames.H2C);
    }

    private static String http1Answer(EmbeddedChannel channel) {
        StringBuilder answer = new StringBuilder();
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) written;
            answer.append(bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }
        return answer.toString();
    }

    private static ByteBuf emptySettings() {
        return Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0});
    }

    /** The frame types the server wrote, in order (SETTINGS with the ACK flag shown as "SETTINGS ACK"). */
    private static List<String> frameTypes(EmbeddedChannel channel) {
        channel.runPendingTasks();
        if (channel.isOpen()) {
            channel.flushOutbound();
        }
        ByteBuf out = Unpooled.buffer();
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) written;
            out.writeBytes(bytes);
            bytes.release();
        }
        java.util.ArrayList<String> types = new java.util.ArrayList<>();
        while (out.readableBytes() >= 9) {
            int length = out.readUnsignedMedium();
            int type = out.readUnsignedByte();
            int flags = out.readUnsignedByte();
            out.skipBytes(4 + length);
            types.add(switch (type) {
                case 0x4 -> (flags & 0x1) != 0 ? "SETTINGS ACK" : "SETTINGS";
                case 0x7 -> "GOAWAY " + out.getInt(out.readerIndex() - length + 4) + " " + out.toString(out.readerIndex() - length + 8, length - 8, java.nio.charset.StandardCharsets.US_ASCII);
                case 0x8 -> "WINDOW_UPDATE " + (out.getInt(out.readerIndex() - length) & 0x7fffffff);
                default -> "type " + type;
            });
        }
        out.release();
        return types;
    }
}
