/**
 * The data plane's input: immutable records built once per Snapshot by the appliance (which knows Kubernetes)
 * and handed to the proxy (which does not). Vocabulary: Listener → Route → Backend → Endpoint.
 */
package dev.berth.proxy.config;
