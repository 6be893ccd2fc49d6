package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/dags/{dag_id}/details}: the DAG fields and Airflow's DAGDetail additions. */
public record DagDetail(@JsonUnwrapped Dag dag,
                        @JsonProperty("timezone") String timezone,
                        @JsonProperty("catchup") Boolean catchup,
                        @JsonProperty("orientation") String orientation,
                        @JsonProperty("concurrency") Integer concurrency,
                        @JsonProperty("start_date") String startDate,
                        @JsonProperty("dag_run_timeout") TimeDelta dagRunTimeout,
                        @JsonProperty("dataset_expression") Map<String, Object> datasetExpression,
                        @JsonProperty("doc_md") String docMd,
                        @JsonProperty("params") Map<String, Object> params,
                        @JsonProperty("end_date") String endDate,
                        @JsonProperty("is_paused_upon_creation") Boolean isPausedUponCreation,
                        @JsonProperty("last_parsed") String lastParsed,
                        @JsonProperty("template_search_path") List<String> templateSearchPath,
                        @JsonProperty("render_template_as_native_obj") Boolean renderTemplateAsNativeObj) {
}
