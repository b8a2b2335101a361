/**
 * What the HTTPS side costs outside the handshake: reading a TLS Secret's certificate and key, which validation does
 * for each Secret whose content it has not seen before.
 */
package dev.berth.benchmarks.tls;
