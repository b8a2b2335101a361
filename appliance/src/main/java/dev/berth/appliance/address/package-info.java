/**
 * The address plane's Kubernetes edge: turns LoadBalancer Services and IPAddressPools into the pure allocator's
 * requests and pools, runs it once per configuration generation, and keeps its result where it survives a restart
 * (a state file standalone, Service status in a cluster). Several standalone nodes share one record: the JGroups
 * coordinator allocates and the table it keeps is replicated to every member's state file ({@code ReplicatedStore}).
 */
package dev.berth.appliance.address;
