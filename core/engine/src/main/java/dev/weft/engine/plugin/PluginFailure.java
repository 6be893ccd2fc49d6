package dev.weft.engine.plugin;

/** A plugin that could not be loaded: where it came from and why. */
public record PluginFailure(String plugin, String source, String reason) {
}
