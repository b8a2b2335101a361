/**
 * Chooses the backend for each HTTP request by Kubernetes Ingress rules, from a table built once per
 * configuration so that the per-request lookup allocates nothing.
 */
package dev.berth.proxy.route;
