/**
 * How the nodes of a Kubernetes cluster find each other for membership: the pods of Berth's DaemonSet, read from the
 * API server through the same fabric8 client the source uses, become the JGroups discovery list.
 */
package dev.berth.appliance.cluster;
