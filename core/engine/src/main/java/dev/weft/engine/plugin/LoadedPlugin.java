package dev.weft.engine.plugin;

import java.util.List;

/**
 * A plugin that loaded, with the type ids it contributes (operators, sensors and notifiers).
 *
 * @param source the jar (or class folder) its {@code Plugin} class came from
 */
public record LoadedPlugin(String name, String version, String source, List<String> operators, List<String> sensors,
                           List<String> notifiers) {
}
