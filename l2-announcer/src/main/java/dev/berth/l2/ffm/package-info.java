/**
 * The thin native edge of the address plane: Linux AF_PACKET sockets through {@code java.lang.foreign}, so that
 * the announcer can hear and send ARP and NDP frames without JNI, helper binaries or a netlink library.
 *
 * <p>Nothing here knows ARP or NDP; it moves whole Ethernet frames for one interface. Opening a socket needs
 * root or CAP_NET_RAW in the network namespace of the calling thread.
 */
package dev.berth.l2.ffm;
