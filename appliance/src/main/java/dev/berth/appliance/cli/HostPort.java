package dev.berth.appliance.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine;

/** Parses {@code HOST:PORT} (or {@code [v6]:PORT}) without resolving names it need not resolve. */
final class HostPort implements CommandLine.ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new CommandLine.TypeConversionException("'" + value + "' (expected: HOST:PORT, e.g. 127.0.0.1:9080)");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("'" + value + "': port (expected: 0..65535)");
        }
        return new InetSocketAddress(host, port);
    }

    /** {@code HOST:PORT}, or {@code off} (null) for a listener that should not run. */
    static final class OrOff implements CommandLine.ITypeConverter<InetSocketAddress> {
        static final String OFF = "off";

        @Override
        public InetSocketAddress convert(String value) {
            return OFF.equals(value) ? null : new HostPort().convert(value);
        }
    }
}
