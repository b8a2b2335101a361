/**
 * Address pools as the address plane sees them: ranges of IPv4 and IPv6 addresses parsed from
 * {@code IPAddressPool.spec.addresses}, with no knowledge of where they came from.
 */
package dev.berth.l2.pool;
