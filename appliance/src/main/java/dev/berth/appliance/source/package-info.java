/**
 * Where Snapshots come from: a watched directory of manifests (standalone) or the Kubernetes API through
 * fabric8 informers. Both coalesce bursts of changes into one {@link dev.berth.appliance.source.Observation}.
 */
package dev.berth.appliance.source;
