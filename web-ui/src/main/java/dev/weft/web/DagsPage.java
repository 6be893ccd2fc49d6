package dev.weft.web;

import java.util.List;

/** The DAG list. */
public final class DagsPage extends Page {
    /** One of a DAG's latest runs, as a small square. */
    public record RunSquare(String runId, String runType, StateStyle style, String logicalDate) {
        public boolean isScheduled() {
            return "scheduled".equals(runType);
        }

        public boolean isBackfill() {
            return "backfill".equals(runType);
        }

        public String runIdUrl() {
            return Urls.encode(runId);
        }
    }

    /** {@code datasets}: those the DAG is scheduled on, besides or instead of its cron. */
    public record Row(String dagId, String description, List<String> tags, String schedule, String scheduleInWords,
                      List<DatasetPage.DatasetLink> datasets, String nextRun, boolean paused,
                      List<RunSquare> recentRuns) {
        public boolean isTriggeredOnly() {
            return schedule == null && datasets.isEmpty();
        }
    }

    /** A problem the page leads with: where, and what to do. */
    public record Banner(String where, String message) {
    }

    private final List<Row> rows;
    private final long total;
    private final int page;
    private final boolean hasNext;
    private final String search;
    private final String tag;
    private final String show;
    private final List<String> tags;
    private final List<Banner> importErrors;
    private final List<Banner> deadlocks;
    private final List<Banner> stuckTasks;

    DagsPage(PageUser user, List<Row> rows, long total, int page, boolean hasNext, String search, String tag,
             String show, List<String> tags, List<Banner> importErrors, List<Banner> deadlocks,
             List<Banner> stuckTasks) {
        super("dags.mustache", "DAGs", user, "dags");
        this.rows = rows;
        this.total = total;
        this.page = page;
        this.hasNext = hasNext;
        this.search = search;
        this.tag = tag;
        this.show = show;
        this.tags = tags;
        this.importErrors = importErrors;
        this.deadlocks = deadlocks;
        this.stuckTasks = stuckTasks;
    }

    public List<Row> getRows() {
        return rows;
    }

    public long getTotal() {
        return total;
    }

    public int getPage() {
        return page;
    }

    public boolean isHasPrevious() {
        return page > 1;
    }

    public int getPreviousPage() {
        return page - 1;
    }

    public boolean isHasNext() {
        return hasNext;
    }

    public int getNextPage() {
        return page + 1;
    }

    public String getSearch() {
        return search;
    }

    public String getTag() {
        return tag;
    }

    public List<TagOption> getTagOptions() {
        return tags.stream().map(t -> new TagOption(t, t.equals(tag))).toList();
    }

    public record TagOption(String name, boolean selected) {
    }

    public boolean isShowAll() {
        return !isShowActive() && !isShowPaused();
    }

    public boolean isShowActive() {
        return "active".equals(show);
    }

    public boolean isShowPaused() {
        return "paused".equals(show);
    }

    public List<Banner> getImportErrors() {
        return importErrors;
    }

    public List<Banner> getDeadlocks() {
        return deadlocks;
    }

    public List<Banner> getStuckTasks() {
        return stuckTasks;
    }
}
