/**
 * The read-only admin API ({@code --admin}, default 127.0.0.1:9080): health, readiness and JSON views of what
 * the node serves. Views are records built from the current state; the server only routes and encodes.
 */
package dev.berth.appliance.admin;
