/**
 * The {@code berth} command line (picocli): {@code run}, {@code check}, {@code status}, {@code demo}.
 * Exit codes: 0 ok, 1 invalid input, 2 usage. Errors are one line naming what was wrong, never a stack trace.
 */
package dev.berth.appliance.cli;
