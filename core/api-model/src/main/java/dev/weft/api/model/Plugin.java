package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A plugin in Airflow's PluginCollectionItem shape; Airflow's hook, macro and view lists are empty for Weft. A plugin
 * that failed to load is listed too, its {@code source} ending in {@code (failed to load: <reason>)}.
 */
public record Plugin(@JsonProperty("name") String name,
                     @JsonProperty("hooks") List<String> hooks,
                     @JsonProperty("executors") List<String> executors,
                     @JsonProperty("macros") List<String> macros,
                     @JsonProperty("flask_blueprints") List<String> flaskBlueprints,
                     @JsonProperty("appbuilder_views") List<Map<String, Object>> appbuilderViews,
                     @JsonProperty("appbuilder_menu_items") List<Map<String, Object>> appbuilderMenuItems,
                     @JsonProperty("global_operator_extra_links") List<String> globalOperatorExtraLinks,
                     @JsonProperty("operator_extra_links") List<String> operatorExtraLinks,
                     @JsonProperty("source") String source,
                     @JsonProperty("ti_deps") List<String> tiDeps,
                     @JsonProperty("listeners") List<String> listeners,
                     @JsonProperty("timetables") List<String> timetables) {
}
