/**
 * The immutable picture of the world Berth acts on: one {@link dev.berth.appliance.snapshot.Snapshot} per
 * change, whatever source it came from (a manifest directory or the Kubernetes API).
 */
package dev.berth.appliance.snapshot;
