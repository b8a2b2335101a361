/**
 * The test LAN of DESIGN.md "Test network": network namespaces joined by a bridge, built and torn down by
 * {@link dev.berth.l2.lab.NetnsLab} with {@code ip}, so that anything that sends ARP or NDP runs away from the
 * machine's real network. Test code, meant to be reused by the appliance's lab tests.
 */
package dev.berth.l2.lab;
