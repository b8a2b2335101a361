package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.TransportChoice;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gRPC end to end: grpc-java client → Berth (h2c downstream, h2c upstream) → grpc-java server. */
class GrpcThroughProxyTest {
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> SAY = method(MethodDescriptor.MethodType.UNARY, "Say");
    private static final MethodDescriptor<String, String> COUNT = method(MethodDescriptor.MethodType.SERVER_STREAMING, "Count");
    private static final MethodDescriptor<String, String> CHAT = method(MethodDescriptor.MethodType.BIDI_STREAMING, "Chat");
    private static final MethodDescriptor<String, String> FAIL = method(MethodDescriptor.MethodType.UNARY, "Fail");

    private Server server;
    private ServerServiceDefinition echo;
    private final BlockingQueue<String> cancelledOnTheServer = new LinkedBlockingQueue<>();
    private final BlockingQueue<Attributes> upstreamConnectionsClosed = new LinkedBlockingQueue<>();
    /** The TCP connections the gRPC server took: Berth's upstream connections. */
    private final AtomicInteger upstreamConnections = new AtomicInteger();
    private DataPlane plane;
    private ManagedChannel channel;

    private static MethodDescriptor<String, String> method(MethodDescriptor.MethodType type, String name) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("berth.Echo", name))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    @BeforeEach
    void start() throws Exception {
        echo = ServerServiceDefinition.builder("berth.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> response) -> {
                    response.onNext("hello " + request);
                    response.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((String request, StreamObserver<String> response) -> {
                    ServerCallStreamObserver<String> call = (ServerCallStreamObserver<String>) response;
                    call.setOnCancelHandler(() -> cancelledOnTheServer.add(request));
                    for (int i = 1; i <= Integer.parseInt(request) && !call.isCancelled(); i++) {
                        response.onNext("n" + i);
                    }
                    if (!call.isCancelled()) {
                        response.onCompleted();
                    }
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall((StreamObserver<String> response) -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String value) {
                        response.onNext("re: " + value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        response.onCompleted();
                    }
                }))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> response) ->
                        response.onError(Status.PERMISSION_DENIED.withDescription("not you, " + request).asRuntimeException())))
                .build();
        server = startServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)));
        plane = DataPlane.start(DataPlane.Settings.defaults(TransportChoice.choose("auto"), new InetSocketAddress("127.0.0.1", 0)));
        route(server.getPort());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", plane.httpAddress().getPort()).usePlaintext().build();
    }

    private Server startServer(NettyServerBuilder builder) throws IOException {
        upstreamConnections.set(0);
        return builder.addService(echo).addTransportFilter(new ServerTransportFilter() {
            @Override
            public Attributes transportReady(Attributes attributes) {
                upstreamConnections.incrementAndGet();
                return attributes;
            }

            @Override
            public void transportTerminated(Attributes attributes) {
                upstreamConnectionsClosed.add(attributes);
            }
        }).build().start();
    }

    private void route(int port) {
        Backend grpc = new Backend("rpc/echo:grpc", Backend.Protocol.H2C, "round-robin",
                List.of(new Endpoint(new InetSocketAddress("127.0.0.1", port), 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("", HttpRoute.PathType.PREFIX, "/berth.Echo/", grpc.name(), "test", 0)),
                Optional.empty(), Map.of(grpc.name(), grpc)));
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        plane.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void unaryCall() {
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "berth")).isEqualTo("hello berth");
    }

    @Test
    void manyCallsShareTheUpstreamConnection() {
        for (int i = 0; i < 50; i++) {
            assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "#" + i)).isEqualTo("hello #" + i);
        }
        assertThat(upstreamConnections).hasValue(1);
    }

    @Test
    void serverStreaming() {
        List<String> received = new ArrayList<>();
        Iterator<String> responses = ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT, "5");
        responses.forEachRemaining(received::add);
        assertThat(received).containsExactly("n1", "n2", "n3", "n4", "n5");
    }

    @Test
    void aResponseLargerThanTheStreamWindowFlowsThroughWhole() {
        // 30,000 messages, ~240 KB: several times h2's 64 KiB stream window, which Berth opens as the client takes them
        Iterator<String> responses = ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT, "30000");
        int count = 0;
        String last = null;
        while (responses.hasNext()) {
            last = responses.next();
            count++;
        }
        assertThat(count).isEqualTo(30000);
        assertThat(last).isEqualTo("n30000");
    }

    @Test
    void aCallTheClientCancelsIsResetUpstreamAndTheConnectionServesTheNext() throws Exception {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        ClientCall<String, String> call = channel.newCall(COUNT, CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(String message) {
                events.add(message);
            }

            @Override
            public void onClose(Status status, io.grpc.Metadata trailers) {
                events.add(status.getCode());
            }
        }, new io.grpc.Metadata());
        call.sendMessage("200000"); // more than the windows hold: the server still has some to send at the cancel
        call.halfClose();
        call.request(1);
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("n1");
        call.cancel("enough", null);
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(Status.Code.CANCELLED);
        assertThat(cancelledOnTheServer.poll(5, TimeUnit.SECONDS)).as("the server's call was cancelled").isEqualTo("200000");
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "next")).isEqualTo("hello next");
        assertThat(upstreamConnections).as("the reset stream's connection serves the next call").hasValue(1);
    }

    /** A bidi call whose answers go to {@code received}, and its end (an error, or "completed") to {@code done}. */
    private StreamObserver<String> chat(BlockingQueue<String> received, BlockingQueue<Object> done) {
        return ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, CallOptions.DEFAULT), new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.add(t);
            }

            @Override
            public void onCompleted() {
                done.add("completed");
            }
        });
    }

    @Test
    void bidiStreaming() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<Object> done = new LinkedBlockingQueue<>();
        StreamObserver<String> requests = chat(received, done);
        for (int i = 0; i < 3; i++) {
            requests.onNext("m" + i);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("re: m" + i); // interleaved, not buffered
        }
        requests.onCompleted();
        assertThat(done.poll(5, TimeUnit.SECONDS)).isEqualTo("completed");
    }

    @Test
    void streamsBeyondWhatOneUpstreamConnectionAllowsOpenAnotherConnection() throws Exception {
        // The backend takes 2 concurrent streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS, as NGINX says 128):
        // 6 calls held open at once must all be served, as HAProxy and Envoy serve them, over more connections.
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server = startServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).maxConcurrentCallsPerConnection(2));
        route(server.getPort());
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<Object> done = new LinkedBlockingQueue<>();
        List<StreamObserver<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(chat(received, done));
        }
        for (int i = 0; i < calls.size(); i++) {
            calls.get(i).onNext("call " + i);
        }
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String answer = received.poll(5, TimeUnit.SECONDS);
            assertThat(answer).as("answers so far: %s; ended: %s", answers, done).isNotNull();
            answers.add(answer);
        }
        assertThat(answers).containsExactlyInAnyOrder("re: call 0", "re: call 1", "re: call 2", "re: call 3", "re: call 4", "re: call 5");
        assertThat(upstreamConnections).as("upstream connections, two streams each").hasValue(3);
        calls.forEach(StreamObserver::onCompleted);
        for (int i = 0; i < calls.size(); i++) {
            assertThat(done.poll(5, TimeUnit.SECONDS)).isEqualTo("completed");
        }
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "again")).isEqualTo("hello again");
        assertThat(upstreamConnections).as("a later call takes a connection with room again").hasValue(3);
    }

    @Test
    void anUpstreamConnectionWithoutStreamsClosesAfterTheIdleTimeout() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        plane.close();
        plane = DataPlane.start(new DataPlane.Settings(TransportChoice.choose("auto"), new InetSocketAddress("127.0.0.1", 0), 1,
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(300), 8, List.of(), false));
        route(server.getPort());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", plane.httpAddress().getPort()).usePlaintext().build();

        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "once")).isEqualTo("hello once");
        assertThat(upstreamConnectionsClosed.poll(5, TimeUnit.SECONDS)).as("the idle upstream connection closed").isNotNull();
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "twice")).isEqualTo("hello twice");
        assertThat(upstreamConnections).as("a new connection for the next call").hasValue(2);
    }

    @Test
    void anEndpointThatNeverSendsItsSettingsIs504WithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            route(silent.getLocalPort());
            Curl.Result result = Curl.run("-sS", "http://127.0.0.1:" + plane.httpAddress().getPort() + "/berth.Echo/Say");
            assertThat(result.status()).isEqualTo(504);
        }
    }

    @Test
    void aTrailersOnlyAnswerReachesAnHttp1ClientOnceOnAKeptConnection(@TempDir Path scratch) throws Exception {
        // An HTTP/1.1 client of an h2c backend whose answer is one HEADERS frame with END_STREAM (a gRPC error):
        // two calls with different names on one connection must each get their own answer, once.
        Path mallory = grpcFrame(scratch, "mallory");
        Path eve = grpcFrame(scratch, "eve");
        String url = "http://127.0.0.1:" + plane.httpAddress().getPort() + "/berth.Echo/Fail";
        List<String> grpc = List.of("-v", "--http1.1", "-i", "-H", "content-type: application/grpc", "-H", "te: trailers");
        List<String> args = new ArrayList<>(grpc);
        args.addAll(List.of("--data-binary", "@" + mallory, url, "--next"));
        args.addAll(grpc);
        args.addAll(List.of("--data-binary", "@" + eve, url));
        Curl.Result result = Curl.run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).contains("Re-using existing connection").doesNotContain("Connection died");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().split("grpc-message: not you, mallory", -1)).hasSize(2);
        assertThat(result.body().split("grpc-message: not you, eve", -1)).hasSize(2);
        assertThat(result.body().split("grpc-status: 7", -1)).hasSize(3);
    }

    /** A request body of one gRPC message: the uncompressed flag, the length, the UTF-8 text. */
    private static Path grpcFrame(Path dir, String text) throws IOException {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[5 + message.length];
        frame[4] = (byte) message.length;
        System.arraycopy(message, 0, frame, 5, message.length);
        return Files.write(dir.resolve(text + ".grpc"), frame);
    }

    @Test
    void errorStatusTravelsInTrailers() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT, "mallory"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("not you, mallory");
                });
    }
}
