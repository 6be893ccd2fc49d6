package dev.weft.engine.plugin;

/**
 * A plugin that could not be loaded.
 *
 * @param plugin its name, or its folder's name when it failed before naming itself ({@code ?} on the class path)
 * @param source the jar to blame, or the plugin folder when no single jar is (an empty folder, no provider)
 * @param reason what went wrong, for a human: the exception and its root cause, or both jars of a duplicate type id
 */
public record PluginFailure(String plugin, String source, String reason) {
}
