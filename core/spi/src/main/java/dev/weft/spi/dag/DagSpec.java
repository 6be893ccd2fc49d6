package dev.weft.spi.dag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DAG as data: what the scheduler, the API and the UI work from. Built and validated by {@link DagBuilder}
 * (or read from a DAG file); stored as JSON with a version hash.
 *
 * @param dagId             unique id ({@code [A-Za-z0-9_.-]}, at most 250 characters)
 * @param description       free text, may be null
 * @param schedule          a cron expression, a preset ({@code @daily}…), {@code @once}, an ISO-8601 duration
 *                          ({@code PT5H}) for a fixed interval, or {@code null} for manual runs only
 * @param timezone          the zone cron expressions are evaluated in (an IANA id, default {@code UTC})
 * @param startDate         the first data interval starts at or after this instant; required when scheduled
 * @param endDate           no scheduled run starts after this instant; may be null
 * @param catchup           create a run for every missed interval since {@code startDate} (default true)
 * @param maxActiveRuns     the most runs queued or running at once (default 16)
 * @param maxActiveTasks    the most task instances running at once over all runs (default 16)
 * @param dagrunTimeout     a run still unfinished this long after it started fails; may be null
 * @param pausedOnCreation  whether the DAG starts paused when first registered; null for the server default
 * @param params            run parameters with their defaults; {@code dag_run.conf} overrides them key by key
 * @param tags              labels for filtering
 * @param tasks             the tasks, sorted by id
 * @param callbacks         what runs when a run fails or succeeds (no retry callbacks)
 * @param datasets          the URIs of the datasets the DAG is scheduled on (Airflow's {@code schedule=[Dataset(…)]}):
 *                          a run when every one of them has an event not yet consumed by a run of this DAG; beside
 *                          a {@code schedule}, runs come from either (Weft's "datasets or a cron"); sorted, distinct
 * @param datasetFeeds      datasets this DAG's definition feeds from files arriving in folders (see {@link DatasetFeed})
 */
public record DagSpec(String dagId, String description, String schedule, String timezone, Instant startDate,
                      Instant endDate, boolean catchup, int maxActiveRuns, int maxActiveTasks, Duration dagrunTimeout,
                      Boolean pausedOnCreation, Map<String, Object> params, List<String> tags, List<TaskSpec> tasks,
                      Callbacks callbacks, List<String> datasets, List<DatasetFeed> datasetFeeds) {

    public DagSpec {
        callbacks = callbacks == null ? Callbacks.NONE : callbacks;
        params = params == null ? Map.of() : JsonValues.immutableCopy(params);
        tags = tags == null ? List.of() : List.copyOf(tags);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        datasets = datasets == null ? List.of() : datasets.stream().distinct().sorted().toList();
        datasetFeeds = datasetFeeds == null ? List.of() : List.copyOf(datasetFeeds);
        timezone = timezone == null ? "UTC" : timezone;
    }

    /** Whether runs are made when the DAG's datasets are updated. */
    public boolean isDatasetScheduled() {
        return !datasets.isEmpty();
    }

    public Optional<TaskSpec> task(String taskId) {
        return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst();
    }

    /** Ids of the tasks that list {@code taskId} as upstream. */
    public List<String> downstreamOf(String taskId) {
        return tasks.stream().filter(t -> t.upstream().contains(taskId)).map(TaskSpec::taskId).toList();
    }
}
