package dev.weft.spi.dag;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every {@link DagSpec} must satisfy, whether it comes from the Java DSL or a DAG file. Each problem names
 * its culprit.
 */
public final class DagValidation {
    /** Airflow's key pattern for DAG and task ids. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,250}");

    private static final int MAX_DATASET_URI = 3000;
    private static final Pattern DATASET_URI = Pattern.compile("[!-~]+");

    private DagValidation() {
    }

    public static List<String> problems(DagSpec dag) {
        List<String> problems = new ArrayList<>();
        if (dag.dagId() == null || !ID.matcher(dag.dagId()).matches()) {
            problems.add(idProblem("DAG id", dag.dagId()));
        }
        Schedules.problem(dag.schedule()).ifPresent(problems::add);
        if (dag.schedule() != null && dag.startDate() == null) {
            problems.add("a scheduled DAG needs a start date (schedule is '" + dag.schedule() + "')");
        }
        if (dag.startDate() != null && dag.endDate() != null && dag.endDate().isBefore(dag.startDate())) {
            problems.add("end date " + dag.endDate() + " is before start date " + dag.startDate());
        }
        try {
            ZoneId.of(dag.timezone());
        } catch (DateTimeException e) {
            problems.add("unknown time zone '" + dag.timezone() + "'; use an IANA id such as UTC or Europe/Amsterdam");
        }
        if (dag.maxActiveRuns() < 1) {
            problems.add("max_active_runs must be at least 1, got " + dag.maxActiveRuns());
        }
        if (dag.maxActiveTasks() < 1) {
            problems.add("max_active_tasks must be at least 1, got " + dag.maxActiveTasks());
        }
        if (dag.dagrunTimeout() != null && !dag.dagrunTimeout().isPositive()) {
            problems.add("dagrun_timeout must be positive, got " + dag.dagrunTimeout());
        }
        for (String uri : dag.datasets()) {
            datasetUriProblem(uri).ifPresent(p -> problems.add("schedule: " + p));
        }
        for (DatasetFeed feed : dag.datasetFeeds()) {
            feedProblem(feed).ifPresent(p -> problems.add("dataset feed: " + p));
        }
        Set<String> ids = new HashSet<>();
        for (TaskSpec task : dag.tasks()) {
            String where = "task '" + task.taskId() + "'";
            for (String uri : task.outlets()) {
                datasetUriProblem(uri).ifPresent(p -> problems.add(where + ": outlets: " + p));
            }
            if (task.taskId() == null || !ID.matcher(task.taskId()).matches()) {
                problems.add(idProblem("task id", task.taskId()));
            }
            if (!ids.add(task.taskId())) {
                problems.add("duplicate task id '" + task.taskId() + "'");
            }
            if (task.type() == null || task.type().isBlank()) {
                problems.add(where + " has no type");
            }
            if (task.retries() < 0) {
                problems.add(where + ": retries must not be negative, got " + task.retries());
            }
            if (task.retryDelay() == null || task.retryDelay().isNegative()) {
                problems.add(where + ": retry_delay must not be negative, got " + task.retryDelay());
            }
            if (task.executionTimeout() != null && !task.executionTimeout().isPositive()) {
                problems.add(where + ": execution_timeout must be positive, got " + task.executionTimeout());
            }
            if (task.poolSlots() < 1) {
                problems.add(where + ": pool_slots must be at least 1, got " + task.poolSlots());
            }
            if (task.pool() == null || task.pool().isBlank()) {
                problems.add(where + " has no pool");
            }
            if (task.triggerRule() == null) {
                problems.add(where + " has no trigger rule");
            }
        }
        for (TaskSpec task : dag.tasks()) {
            for (String up : task.upstream()) {
                if (!ids.contains(up)) {
                    problems.add("task '" + task.taskId() + "' depends on '" + up + "', which is not a task of this DAG");
                }
            }
        }
        if (problems.isEmpty()) {
            List<String> cycle = findCycle(dag.tasks());
            if (!cycle.isEmpty()) {
                problems.add("cycle: " + String.join(" -> ", cycle));
            }
        }
        return problems;
    }

    /**
     * What is wrong with a dataset URI (Airflow's rules: 1 to 3000 printable ASCII characters, no spaces, not the
     * reserved {@code airflow} scheme), or empty when it is valid.
     */
    public static java.util.Optional<String> datasetUriProblem(String uri) {
        if (uri == null || uri.isBlank()) {
            return java.util.Optional.of("a dataset URI must not be empty");
        }
        if (uri.length() > MAX_DATASET_URI) {
            return java.util.Optional.of("dataset URI '" + uri.substring(0, 40) + "…' is longer than "
                    + MAX_DATASET_URI + " characters");
        }
        if (!DATASET_URI.matcher(uri).matches()) {
            return java.util.Optional.of("dataset URI '" + uri + "' must be printable ASCII without spaces");
        }
        if (uri.regionMatches(true, 0, "airflow://", 0, 10)) {
            return java.util.Optional.of("dataset URI '" + uri + "' uses the reserved scheme 'airflow'");
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> feedProblem(DatasetFeed feed) {
        java.util.Optional<String> uri = datasetUriProblem(feed.dataset());
        if (uri.isPresent()) {
            return uri;
        }
        String of = " (dataset " + feed.dataset() + ")";
        if (feed.folder() == null || !feed.folder().startsWith("/")) {
            return java.util.Optional.of("the folder must be an absolute path, got '" + feed.folder() + "'" + of);
        }
        if (feed.glob() == null || feed.glob().isBlank() || feed.glob().contains("/")) {
            return java.util.Optional.of("the glob must name files in the folder (such as *.csv), got '"
                    + feed.glob() + "'" + of);
        }
        if ((feed.marker() == null) == (feed.stableFor() == null)) {
            return java.util.Optional.of("say when an upload is complete with either a marker (such as _SUCCESS) or"
                    + " stable_for (a duration), not " + (feed.marker() == null ? "neither" : "both") + of);
        }
        if (feed.marker() != null && (feed.marker().isBlank() || feed.marker().contains("/"))) {
            return java.util.Optional.of("the marker must be a file name, got '" + feed.marker() + "'" + of);
        }
        if (feed.stableFor() != null && !feed.stableFor().isPositive()) {
            return java.util.Optional.of("stable_for must be positive, got " + feed.stableFor() + of);
        }
        return java.util.Optional.empty();
    }

    private static String idProblem(String what, String id) {
        return "invalid " + what + " '" + id + "': use 1 to 250 letters, digits, '_', '.' or '-'";
    }

    /** A dependency cycle as a path that starts and ends with the same task, or empty when there is none. */
    static List<String> findCycle(List<TaskSpec> tasks) {
        Map<String, List<String>> downstream = new HashMap<>();
        for (TaskSpec t : tasks) {
            downstream.putIfAbsent(t.taskId(), new ArrayList<>());
            for (String up : t.upstream()) {
                downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(t.taskId());
            }
        }
        Map<String, Integer> color = new HashMap<>(); // absent = unvisited, 1 = on the stack, 2 = done
        for (TaskSpec t : tasks) {
            List<String> stack = new ArrayList<>();
            List<String> cycle = visit(t.taskId(), downstream, color, stack);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    // Iterative depth-first search so a 10,000-task chain cannot overflow the stack.
    private static List<String> visit(String start, Map<String, List<String>> downstream, Map<String, Integer> color,
                                      List<String> path) {
        if (color.containsKey(start)) {
            return List.of();
        }
        List<java.util.Iterator<String>> iterators = new ArrayList<>();
        path.add(start);
        color.put(start, 1);
        iterators.add(downstream.getOrDefault(start, List.of()).iterator());
        while (!path.isEmpty()) {
            java.util.Iterator<String> it = iterators.get(iterators.size() - 1);
            if (it.hasNext()) {
                String next = it.next();
                Integer c = color.get(next);
                if (c == null) {
                    color.put(next, 1);
                    path.add(next);
                    iterators.add(downstream.getOrDefault(next, List.of()).iterator());
                } else if (c == 1) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                    cycle.add(next);
                    return cycle;
                }
            } else {
                color.put(path.remove(path.size() - 1), 2);
                iterators.remove(iterators.size() - 1);
            }
        }
        return List.of();
    }
}
