import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive HTTP/1.1 connections to HOST:PORT, sends one request on each and reads its whole response (so
 * every connection has been through a proxy's request path and sits idle in its keep-alive state, as a browser's
 * would), prints {@code ready N} and holds them until standard input closes. Then it resets them all (SO_LINGER 0),
 * so the next contestant does not find the ephemeral ports in TIME_WAIT.
 *
 * <p>Run from source by the bench harness: {@code java benchmarks/tools/IdleConnections.java HOST PORT N PATH}.
 */
final class IdleConnections {

    public static void main(String[] args) throws IOException {
        InetAddress host = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        byte[] request = ("GET " + args[3] + " HTTP/1.1\r\nHost: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                socket.setSoLinger(true, 0);
                socket.setSoTimeout(10_000);
                socket.connect(new InetSocketAddress(host, port), 10_000);
                socket.getOutputStream().write(request);
                readResponse(socket.getInputStream());
            }
            System.out.println("ready " + sockets.size());
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream()); // the harness closes our stdin to say "done"
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Reads one response with a Content-Length body: enough for the static files the bench serves. */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response head ended: " + head);
            }
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
    }
}
