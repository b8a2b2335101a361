/**
 * The Berth process: wires a state source, the configuration state, the admin API and (as they land) the
 * address and data planes. Everything that touches Kubernetes or files lives in this module.
 */
package dev.berth.appliance;
