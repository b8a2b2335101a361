package dev.berth.l2.lab;

import java.util.List;

/** A finished command: how it ended and what it printed (stdout and stderr together). */
public record CommandResult(List<String> command, int exitCode, String output) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " → exit " + exitCode + "\n" + output;
    }
}
