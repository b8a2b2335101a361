/**
 * Ethernet, ARP and IPv6 neighbour-discovery frames as byte arrays, encoded and decoded without I/O, so that
 * every frame the announcer sends or refuses can be checked byte for byte in a unit test.
 *
 * <p>Flow: the receive loop hands raw frames to {@link dev.berth.l2.frame.ArpFrame#decode} or
 * {@link dev.berth.l2.frame.NdpFrame#decode}; the responders build their replies with the same records.
 * Decoding never throws: a frame that cannot be read ends in a {@link dev.berth.l2.frame.DecodeFailure}.
 */
package dev.berth.l2.frame;
