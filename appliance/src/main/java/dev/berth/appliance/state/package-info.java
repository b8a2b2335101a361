/**
 * Which configuration is in force: each observation from a source is validated, then accepted whole, accepted
 * with some objects held at their last good version, or rejected, and the outcome is published as a
 * {@link dev.berth.appliance.state.ConfigStatus} with a generation number.
 */
package dev.berth.appliance.state;
