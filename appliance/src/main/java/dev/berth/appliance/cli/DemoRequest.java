package dev.berth.appliance.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One plain HTTP/1.1 request with a chosen Host header, as curl -H 'Host: …' sends it; the JDK's HTTP clients
 * refuse to set Host, and the demo must show routing by host.
 */
final class DemoRequest {
    private DemoRequest() {
    }

    /** The whole response (status line, headers, body), or a line saying why there is none. */
    static String get(InetSocketAddress proxy, String host, String path) {
        try (Socket socket = new Socket(proxy.getAddress(), proxy.getPort())) {
            socket.setSoTimeout(5000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            return "no answer: " + e.getMessage();
        }
    }
}
