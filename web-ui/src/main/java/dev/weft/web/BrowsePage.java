package dev.weft.web;

import java.util.List;
import java.util.Map;

/** Browse runs or task instances across DAGs. */
public final class BrowsePage extends Page {
    public record RunRow(String dagId, String runId, String runType, StateStyle style, String logicalDate,
                         String start, String end, String duration) {
        public String getRunIdUrl() {
            return Urls.encode(runId);
        }

        public boolean isScheduled() {
            return "scheduled".equals(runType);
        }

        public boolean isBackfill() {
            return "backfill".equals(runType);
        }
    }

    public record TaskRow(String dagId, String runId, String taskId, String operator, StateStyle style, int tryNumber,
                          String logicalDate, String start, String end, String duration) {
        public String getRunIdUrl() {
            return Urls.encode(runId);
        }
    }

    public record Option(String value, String label, boolean selected) {
    }

    private static final Map<String, String> DATE_LABELS = Map.of("logical_date", "logical date",
            "start_date", "start", "end_date", "end");

    private final boolean runs;
    private final BrowseResource.Query query;
    private final List<String> errors;
    private final long total;
    private final boolean hasNext;
    private final List<Object> rows;
    private final List<String> states;

    BrowsePage(PageUser user, boolean runs, BrowseResource.Query query, List<String> errors, long total,
               boolean hasNext, List<Object> rows, List<String> states) {
        super("browse.mustache", runs ? "Browse runs" : "Browse task instances", user, "browse");
        this.runs = runs;
        this.query = query;
        this.errors = errors;
        this.total = total;
        this.hasNext = hasNext;
        this.rows = rows;
        this.states = states;
    }

    public boolean isRuns() {
        return runs;
    }

    public String getAction() {
        return runs ? "/browse/runs" : "/browse/task-instances";
    }

    public BrowseResource.Query getQuery() {
        return query;
    }

    public List<String> getErrors() {
        return errors;
    }

    public long getTotal() {
        return total;
    }

    /** {@link RunRow}s on the runs page, {@link TaskRow}s on the task instances page. */
    public List<Object> getRows() {
        return rows;
    }

    public List<Option> getStateOptions() {
        return states.stream().map(s -> new Option(s, s.replace('_', ' '), s.equals(query.state()))).toList();
    }

    public List<Option> getRunTypeOptions() {
        return BrowseResource.runTypes().stream().map(t -> new Option(t, t, t.equals(query.runType()))).toList();
    }

    public List<Option> getDateFieldOptions() {
        return dev.weft.engine.store.QueryStore.BROWSE_DATES.stream()
                .map(f -> new Option(f, DATE_LABELS.get(f), f.equals(query.dateField()))).toList();
    }

    public int getPage() {
        return query.page();
    }

    public String getPreviousLink() {
        return query.page() > 1 ? link(query.page() - 1) : null;
    }

    public String getNextLink() {
        return hasNext ? link(query.page() + 1) : null;
    }

    /** Paging keeps every filter. */
    private String link(int page) {
        StringBuilder b = new StringBuilder(getAction()).append("?page=").append(page);
        param(b, "state", query.state());
        param(b, "run_type", query.runType());
        param(b, "dag_id", query.dagId());
        param(b, "date_field", query.dateField());
        param(b, "from", query.from());
        param(b, "to", query.to());
        param(b, "last", query.last());
        return b.toString();
    }

    private static void param(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append('&').append(name).append('=').append(Urls.encode(value));
        }
    }
}
