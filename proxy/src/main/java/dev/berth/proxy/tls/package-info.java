/**
 * TLS termination's own domain: which certificate answers which server name ({@link dev.berth.proxy.tls.ServerNames},
 * pure), reading a Secret's certificate and key ({@link dev.berth.proxy.tls.PemKeyPair}), and the contexts the HTTPS
 * listener hands to Netty ({@link dev.berth.proxy.tls.ServerTls}). The pipeline itself is in {@code http}.
 */
package dev.berth.proxy.tls;
