/**
 * The HTTP reverse proxy: downstream HTTP/1.1 and h2c, and both over TLS (chosen by ALPN), upstream HTTP/1.1 (and h2c
 * for gRPC), streaming both ways with back-pressure, keep-alive pools per event loop, WebSocket tunnels. Routing
 * decisions come from {@link dev.berth.proxy.route.RouteTable}, certificates from {@link dev.berth.proxy.tls.ServerTls};
 * this package only moves bytes and headers.
 */
package dev.berth.proxy.http;
