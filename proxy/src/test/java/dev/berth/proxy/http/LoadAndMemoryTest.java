package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real peers under bounded load: h2load over h2c, a 1 GiB download whose memory use must stay flat, and a client
 * that stops reading, which must stop the upstream too.
 */
class LoadAndMemoryTest {
    private EchoBackend backend;
    private DataPlane plane;
    private String base;

    @BeforeEach
    void start() throws Exception {
        backend = new EchoBackend("big");
        plane = DataPlane.start(DataPlane.Settings.defaults(TransportChoice.choose("auto"), new InetSocketAddress("127.0.0.1", 0)));
        Backend echo = new Backend("load/echo:http", Backend.Protocol.HTTP, "round-robin", List.of(new Endpoint(backend.address(), 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("", HttpRoute.PathType.PREFIX, "/", echo.name(), "test", 0)),
                Optional.empty(), Map.of(echo.name(), echo)));
        base = "http://127.0.0.1:" + plane.httpAddress().getPort();
    }

    @AfterEach
    void stop() {
        plane.close();
        backend.close();
    }

    @Test
    void h2loadOverH2cSucceedsEveryRequest() throws Exception {
        Process h2load = new ProcessBuilder("h2load", "-n", "2000", "-c", "10", "-m", "10", base + "/load")
                .redirectErrorStream(true).start();
        String output = new String(h2load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(h2load.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Matcher requests = Pattern.compile("requests: (\\d+) total, \\d+ started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored")
                .matcher(output);
        assertThat(requests.find()).as(output).isTrue();
        assertThat(requests.group(3)).as(output).isEqualTo("2000");
        assertThat(requests.group(4)).isEqualTo("0");
        assertThat(output).contains("status codes: 2000 2xx");
    }

    @Test
    void aGibibyteDownloadKeepsMemoryFlat() throws Exception {
        long size = 1L << 30;
        MemorySampler sampler = new MemorySampler();
        Thread sampling = Thread.ofPlatform().daemon().start(sampler);
        Curl.Result result = Curl.run("--max-time", "120", "-o", "/dev/null", base + "/bytes/" + size);
        sampling.interrupt();
        sampling.join();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.downloaded()).isEqualTo(size);
        long maxDirect = sampler.maxDirect;
        long maxHeapGrowth = sampler.maxHeap - sampler.startHeap;
        System.out.printf("1 GiB through the proxy: Netty direct memory peak %d KiB, heap growth peak %d KiB%n",
                maxDirect / 1024, maxHeapGrowth / 1024);
        // Back-pressure holds at most a few chunks per connection in flight; 1 GiB buffered would blow far past this.
        assertThat(maxDirect).isLessThan(32L << 20);
    }

    @Test
    void aClientThatStopsReadingStopsTheUpstream() throws Exception {
        long size = 1L << 30;
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(plane.httpAddress());
            client.getOutputStream().write(("GET /bytes/" + size + " HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long sentWhileStalled = steadyValueOf(backend::bytesSent);
            System.out.printf("a client that reads nothing: the backend could send %d KiB of 1 GiB%n", sentWhileStalled / 1024);
            // the kernel's socket buffers on three hops plus the proxy's high-water mark; not a gibibyte
            assertThat(sentWhileStalled).isLessThan(64L << 20);
            long received = client.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertThat(backend.bytesSent()).isEqualTo(size);
            assertThat(received).isGreaterThan(size); // the body and its chunk framing, up to the close
        }
    }

    /** Polls until the value has not changed for half a second (it has stopped growing), and returns it. */
    static long steadyValueOf(LongSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = value.getAsLong();
        int unchanged = 0;
        while (unchanged < 5) {
            assertThat(System.nanoTime()).as("the value never settled: %d", last).isLessThan(deadline);
            Thread.sleep(100); // a sampling interval: what is awaited is the absence of progress
            long now = value.getAsLong();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }

    /** Samples Netty's direct memory and the old-generation heap while the download runs. */
    private static final class MemorySampler implements Runnable {
        final long startHeap = heapUsed();
        volatile long maxDirect;
        volatile long maxHeap = startHeap;

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted()) {
                maxDirect = Math.max(maxDirect, directMemoryInUse());
                maxHeap = Math.max(maxHeap, heapUsed());
                try {
                    Thread.sleep(5); // a sampling interval, not a wait for an event
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * Both of Netty's allocators that the proxy uses: the pooled one of downstream connections, and the default
         * (adaptive in Netty 4.2) of upstream connections, into which response bodies are read.
         */
        private static long directMemoryInUse() {
            long pooled = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                    ? pooled + provider.metric().usedDirectMemory() : pooled;
        }

        private static long heapUsed() {
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    used += pool.getUsage().getUsed();
                }
            }
            return used;
        }
    }
}
