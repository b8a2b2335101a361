package dev.berth.proxy.config;

/**
 * Whether a raw TCP service tells its endpoints who the client is with a HAProxy PROXY protocol header, and in
 * which version. From the Service annotation {@code berth.dev/proxy-protocol}.
 */
public enum ProxyProtocol {
    /** The endpoint sees the proxy's address as the client, and the first byte it reads is the client's. */
    NONE,
    /** The human-readable header, {@code PROXY TCP4 192.0.2.1 198.51.100.2 51234 443\r\n}. */
    V1,
    /** The binary header, preferred by HAProxy for new setups. */
    V2
}
