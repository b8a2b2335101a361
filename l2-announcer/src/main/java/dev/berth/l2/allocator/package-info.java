/**
 * The IP allocator of the address plane: decides which Service holds which LoadBalancer address, in
 * memory and without I/O, so that every rule about pools, sharing and stability can be tested without a
 * cluster.
 *
 * <p>Flow: the appliance translates IPAddressPools and Services into {@link dev.berth.l2.allocator.AddressPool}
 * and {@link dev.berth.l2.allocator.ServiceRequest} records, calls {@link dev.berth.l2.allocator.Allocator},
 * and writes the resulting {@link dev.berth.l2.allocator.Allocation}s and problems back to Service status.
 */
package dev.berth.l2.allocator;
