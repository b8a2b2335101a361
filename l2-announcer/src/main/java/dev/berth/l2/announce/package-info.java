/**
 * Makes this node answer ARP and NDP for the addresses it owns: pure responders that turn a received frame into
 * a reply or a named {@link dev.berth.l2.announce.DropReason}, and the {@link dev.berth.l2.announce.Announcer}
 * that runs them per interface and tells the LAN when an address arrives (gratuitous ARP, unsolicited NA).
 *
 * <p>Flow: election decides the owned set, calls {@link dev.berth.l2.announce.Announcer#announce}; the receive
 * loops read that set for every question, so a change takes effect on the next frame.
 */
package dev.berth.l2.announce;
