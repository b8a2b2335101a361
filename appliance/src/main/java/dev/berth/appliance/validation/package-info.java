/**
 * Turns a Snapshot into per-object problems, each naming the object, the field and what was expected.
 * What a problem does to the configuration is decided per kind ({@link dev.berth.appliance.validation.Effect}),
 * and {@code berth check} and {@code berth run} share this code so that both always agree.
 */
package dev.berth.appliance.validation;
