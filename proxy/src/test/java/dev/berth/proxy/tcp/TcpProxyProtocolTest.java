package dev.berth.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.ProxyProtocol;
import dev.berth.proxy.config.TcpConfig;
import dev.berth.proxy.config.TcpService;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PROXY protocol on both sides of a TCP service: the header sent to the endpoint names the real client, and a header
 * from a client is believed only when the client's address is trusted. The endpoint parses headers with Netty's
 * decoder and answers with one line describing what it read, then echoes the payload.
 */
@Timeout(60)
class TcpProxyProtocolTest {
    private static final String SERVICE = "shop/db:5432";

    private TestUpstream upstream;
    private TcpDataPlane plane;

    @BeforeEach
    void start() throws IOException {
        upstream = new TestUpstream(TcpProxyProtocolTest::describeHeaderThenEcho);
        plane = TcpDataPlane.start(TransportChoice.choose("auto"), 1);
    }

    @AfterEach
    void stop() throws IOException {
        plane.close();
        upstream.close();
    }

    /** Reads a PROXY header, writes {@code V1 TCP4 src:port > dst:port}, then echoes whatever followed it. */
    private static void describeHeaderThenEcho(Socket socket) throws Exception {
        EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[4096];
        Object first = null;
        while (first == null) {
            int n = in.read(chunk);
            if (n < 0) {
                return;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
            first = decoder.readInbound();
        }
        HAProxyMessage header = (HAProxyMessage) first;
        out.write((header.protocolVersion() + " " + header.proxiedProtocol() + " " + header.sourceAddress() + ":" + header.sourcePort()
                + " > " + header.destinationAddress() + ":" + header.destinationPort() + "\n").getBytes(StandardCharsets.US_ASCII));
        header.release();
        for (ByteBuf rest; (rest = decoder.readInbound()) != null; ) {
            out.write(ByteBufUtil.getBytes(rest));
            rest.release();
        }
        out.flush();
        decoder.finishAndReleaseAll();
        in.transferTo(out);
    }

    private InetSocketAddress serve(ProxyProtocol send, List<String> acceptFrom) {
        TcpService service = new TcpService(SERVICE, new InetSocketAddress("127.0.0.1", 0), "round-robin",
                List.of(new Endpoint(upstream.address(), 1, null)), send, acceptFrom);
        assertThat(plane.apply(new TcpConfig(1, List.of(service)))).isEmpty();
        return plane.boundAddress(SERVICE).orElseThrow();
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void v1HeaderNamesTheClient() throws IOException {
        InetSocketAddress listener = serve(ProxyProtocol.V1, List.of());
        try (Socket client = connect(listener)) {
            client.getOutputStream().write("hello\n".getBytes());
            InputStream in = client.getInputStream();
            assertThat(TestUpstream.readLine(in)).isEqualTo("V1 TCP4 127.0.0.1:" + client.getLocalPort() + " > 127.0.0.1:" + listener.getPort());
            assertThat(TestUpstream.readLine(in)).isEqualTo("hello");
        }
    }

    @Test
    void v2HeaderNamesTheClient() throws IOException {
        InetSocketAddress listener = serve(ProxyProtocol.V2, List.of());
        try (Socket client = connect(listener)) {
            client.getOutputStream().write("hello\n".getBytes());
            InputStream in = client.getInputStream();
            assertThat(TestUpstream.readLine(in)).isEqualTo("V2 TCP4 127.0.0.1:" + client.getLocalPort() + " > 127.0.0.1:" + listener.getPort());
            assertThat(TestUpstream.readLine(in)).isEqualTo("hello");
        }
    }

    @Test
    void trustedClientsV1HeaderIsBelievedAndPassedOn() throws IOException {
        InetSocketAddress listener = serve(ProxyProtocol.V2, List.of("127.0.0.0/8"));
        try (Socket client = connect(listener)) {
            // header and payload in one write, so the payload arrives in the header's segment
            client.getOutputStream().write("PROXY TCP4 192.0.2.7 198.51.100.9 40000 443\r\nhello\n".getBytes());
            InputStream in = client.getInputStream();
            assertThat(TestUpstream.readLine(in)).isEqualTo("V2 TCP4 192.0.2.7:40000 > 198.51.100.9:443");
            assertThat(TestUpstream.readLine(in)).isEqualTo("hello");
        }
    }

    @Test
    void trustedClientsV2HeaderIsBelievedAndPassedOn() throws IOException {
        InetSocketAddress listener = serve(ProxyProtocol.V1, List.of("127.0.0.1/32"));
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6,
                "2001:db8::7", "2001:db8::9", 40000, 443));
        ByteBuf header = encoder.readOutbound();
        try (Socket client = connect(listener)) {
            client.getOutputStream().write(ByteBufUtil.getBytes(header));
            client.getOutputStream().write("hello\n".getBytes());
            InputStream in = client.getInputStream();
            assertThat(TestUpstream.readLine(in)).isEqualTo("V1 TCP6 2001:db8:0:0:0:0:0:7:40000 > 2001:db8:0:0:0:0:0:9:443");
            assertThat(TestUpstream.readLine(in)).isEqualTo("hello");
        } finally {
            header.release();
        }
    }

    @Test
    void untrustedClientsHeaderIsNotBelieved() throws IOException {
        InetSocketAddress listener = serve(ProxyProtocol.V1, List.of("192.0.2.0/24"));
        try (Socket client = connect(listener)) {
            client.getOutputStream().write("PROXY TCP4 192.0.2.7 198.51.100.9 40000 443\r\nhello\n".getBytes());
            InputStream in = client.getInputStream();
            assertThat(TestUpstream.readLine(in)).isEqualTo("V1 TCP4 127.0.0.1:" + client.getLocalPort() + " > 127.0.0.1:" + listener.getPort());
            assertThat(TestUpstream.readLine(in)).isEqualTo("PROXY TCP4 192.0.2.7 198.51.100.9 40000 443\r");
            assertThat(TestUpstream.readLine(in)).isEqualTo("hello");
        }
    }
}
