package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A plugin in Airflow's PluginCollectionItem shape (Airflow's hook, macro and view lists are empty for Weft), with
 * Weft's facts in {@code weft}: the version, the operator and sensor type ids it provides, and for a plugin that
 * failed to load, the reason.
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
                     @JsonProperty("timetables") List<String> timetables,
                     @JsonProperty("weft") @JsonInclude(JsonInclude.Include.NON_NULL) Weft weft) {

    /** Weft's additions: {@code loaded} false with an {@code error} for a plugin that failed to load. */
    public record Weft(@JsonProperty("loaded") boolean loaded,
                       @JsonProperty("version") String version,
                       @JsonProperty("operators") List<String> operators,
                       @JsonProperty("sensors") List<String> sensors,
                       @JsonProperty("error") String error) {
    }
}
