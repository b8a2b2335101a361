package dev.berth.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LessLoadedLoopTest {

    @Test
    void equalLoadsTakeTurns() {
        LessLoadedLoop.Loads loads = new LessLoadedLoop.Loads(2);
        assertThat(placeTimes(loads, 4)).containsExactly(0, 1, 0, 1);
    }

    @Test
    void theLoopWhoseChannelsClosedTakesTheNextOnesWhateverTheTurn() {
        LessLoadedLoop.Loads loads = new LessLoadedLoop.Loads(2);
        placeTimes(loads, 4); // two open on each
        loads.release(1);
        loads.release(1);
        assertThat(placeTimes(loads, 2)).containsExactly(1, 1);
        assertThat(placeTimes(loads, 2)).containsExactly(0, 1); // level again: turns again
    }

    @Test
    void ofManyLoopsTheLessLoadedOfTheOneInTurnAndOneDrawn() {
        LessLoadedLoop.Loads loads = new LessLoadedLoop.Loads(4);
        for (int i = 0; i < 3; i++) {
            loads.add(loads.choose(bound -> 1)); // turns 0, 1, 2 against loops 2, 3, 0: each the one in turn on a tie
        }
        assertThat(List.of(loads.open(0), loads.open(1), loads.open(2), loads.open(3))).containsExactly(1, 1, 1, 0);
        // turn 3 is loop 3 (empty); the draw (offset 1 + 2) is loop 2, busier: loop 3 keeps it
        assertThat(loads.choose(bound -> 2)).isEqualTo(3);
        loads.add(3);
        loads.release(1);
        // turn 4 is loop 0 (one open); drawn, loop 1 (offset 1 + 0) has none open now: loop 1 takes it
        assertThat(loads.choose(bound -> 0)).isEqualTo(1);
    }

    @Test
    void theDrawComesFromTheOtherLoops() {
        LessLoadedLoop.Loads loads = new LessLoadedLoop.Loads(5);
        List<Integer> bounds = new ArrayList<>();
        loads.choose(bound -> {
            bounds.add(bound);
            return bound - 1;
        });
        assertThat(bounds).containsExactly(4); // never the loop in turn itself
    }

    @Test
    void aChoiceCountsNothingByItself() { // the listener counts what was placed; a listener's own placement is no load
        LessLoadedLoop.Loads loads = new LessLoadedLoop.Loads(2);
        loads.choose(bound -> 0);
        loads.choose(bound -> 0);
        assertThat(List.of(loads.open(0), loads.open(1))).containsExactly(0, 0);
    }

    @Test
    void oneLoopTakesEverything() {
        LessLoadedLoop.Loads loads = new LessLoadedLoop.Loads(1);
        assertThat(placeTimes(loads, 3)).containsExactly(0, 0, 0);
        assertThat(loads.open(0)).isEqualTo(3);
    }

    @Test
    void aGroupNeedsALoop() {
        assertThatThrownBy(() -> new LessLoadedLoop.Loads(0)).hasMessage("loops: 0 (expected: > 0)");
    }

    @Test
    void servesOneGroup() {
        LessLoadedLoop placement = new LessLoadedLoop();
        EventExecutor[] loops = {ImmediateEventExecutor.INSTANCE};
        placement.newChooser(loops);
        assertThatThrownBy(() -> placement.newChooser(loops)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Real loops and sockets: the listener's counter counts what it accepts until it closes, so that connections
     * follow the loop whose connections ended (Netty's default, in turn, would alternate). The listener itself is on
     * one of the loops and counts for nothing.
     */
    @Test
    void acceptedConnectionsGoWhereConnectionsClosed() throws Exception {
        LessLoadedLoop placement = new LessLoadedLoop();
        EventLoopGroup group = Transport.NIO.newEventLoopGroup(2, "placement-test", placement);
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        List<Socket> clients = new ArrayList<>();
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(Transport.NIO.serverChannelClass())
                    .handler(placement.counter())
                    .childHandler(new Registered(accepted))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();

            List<Channel> first = connect(address, 4, clients, accepted);
            EventLoop a = first.get(0).eventLoop();
            EventLoop b = first.get(1).eventLoop();
            assertThat(a).isNotSameAs(b);
            assertThat(first).extracting(Channel::eventLoop).containsExactly(a, b, a, b);

            for (Channel channel : first) {
                if (channel.eventLoop() == b) {
                    channel.close().sync(); // the listener releases b's count as each closes
                }
            }
            assertThat(connect(address, 2, clients, accepted)).extracting(Channel::eventLoop).containsExactly(b, b);
            assertThat(connect(address, 2, clients, accepted)).extracting(Channel::eventLoop).doesNotHaveDuplicates();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    @ChannelHandler.Sharable
    private static final class Registered extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Channel> registered;

        Registered(BlockingQueue<Channel> registered) {
            this.registered = registered;
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            registered.add(ctx.channel());
        }
    }

    /** Chooses and counts, as the listener does, each time; two loops or one need no draw. */
    private static List<Integer> placeTimes(LessLoadedLoop.Loads loads, int times) {
        List<Integer> placed = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            int loop = loads.choose(bound -> {
                throw new AssertionError("no draw with " + bound + " other loop");
            });
            loads.add(loop);
            placed.add(loop);
        }
        return placed;
    }

    /** Connects one client at a time, each awaited on the server side, so that each placement sees the last. */
    private static List<Channel> connect(InetSocketAddress address, int count, List<Socket> clients,
            BlockingQueue<Channel> accepted) throws Exception {
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(new Socket(address.getAddress(), address.getPort()));
            Channel channel = accepted.poll(10, TimeUnit.SECONDS);
            assertThat(channel).as("accepted connection %d", i).isNotNull();
            channels.add(channel);
        }
        return channels;
    }
}
