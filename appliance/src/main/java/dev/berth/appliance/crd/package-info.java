/**
 * Berth's two custom resources, group {@code berth.dev}, version {@code v1alpha1}, field for field after
 * MetalLB's {@code metallb.io/v1beta1} so that a MetalLB user migrates by changing the apiVersion.
 * The specs are records: a Snapshot holds them and nothing may change them.
 */
package dev.berth.appliance.crd;
