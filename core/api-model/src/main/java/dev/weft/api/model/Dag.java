package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A DAG as {@code GET /api/v1/dags/{dag_id}} returns it (Airflow's DAG schema). */
public record Dag(@JsonProperty("dag_id") String dagId,
                  @JsonProperty("dag_display_name") String dagDisplayName,
                  @JsonProperty("root_dag_id") String rootDagId,
                  @JsonProperty("is_paused") Boolean isPaused,
                  @JsonProperty("is_active") Boolean isActive,
                  @JsonProperty("is_subdag") boolean isSubdag,
                  @JsonProperty("last_parsed_time") String lastParsedTime,
                  @JsonProperty("last_pickled") String lastPickled,
                  @JsonProperty("last_expired") String lastExpired,
                  @JsonProperty("scheduler_lock") Boolean schedulerLock,
                  @JsonProperty("pickle_id") String pickleId,
                  @JsonProperty("default_view") String defaultView,
                  @JsonProperty("fileloc") String fileloc,
                  @JsonProperty("file_token") String fileToken,
                  @JsonProperty("owners") List<String> owners,
                  @JsonProperty("description") String description,
                  @JsonProperty("schedule_interval") ScheduleInterval scheduleInterval,
                  @JsonProperty("timetable_description") String timetableDescription,
                  @JsonProperty("tags") List<Tag> tags,
                  @JsonProperty("max_active_tasks") Integer maxActiveTasks,
                  @JsonProperty("max_active_runs") Integer maxActiveRuns,
                  @JsonProperty("has_task_concurrency_limits") Boolean hasTaskConcurrencyLimits,
                  @JsonProperty("has_import_errors") Boolean hasImportErrors,
                  @JsonProperty("next_dagrun") String nextDagrun,
                  @JsonProperty("next_dagrun_data_interval_start") String nextDagrunDataIntervalStart,
                  @JsonProperty("next_dagrun_data_interval_end") String nextDagrunDataIntervalEnd,
                  @JsonProperty("next_dagrun_create_after") String nextDagrunCreateAfter,
                  @JsonProperty("max_consecutive_failed_dag_runs") Integer maxConsecutiveFailedDagRuns) {
}
