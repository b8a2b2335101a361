/**
 * Turns a validated Snapshot into the data plane's {@link dev.berth.proxy.config.ProxyConfig}, the one place
 * where Kubernetes semantics (IngressClass, Service ports, EndpointSlice conditions) become plain routes and
 * endpoints, so that the proxy never needs to know Kubernetes.
 */
package dev.berth.appliance.translate;
