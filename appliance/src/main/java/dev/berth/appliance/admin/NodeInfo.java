package dev.berth.appliance.admin;

/** The facts about this process that do not change while it runs. */
public record NodeInfo(String name, String version, String transport, String source) {
}
