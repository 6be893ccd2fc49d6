package dev.weft.web;

import java.util.List;

/**
 * A DAG's grid: runs as columns (oldest left), tasks as rows, one square per task instance; below it the panel of the
 * selected run or task instance. Every square is a link, so the page works without scripts.
 */
public final class GridPage extends Page {
    /**
     * A run's column header. {@code hover} is its details, one per line (the hover card and the title);
     * {@code triggeredBy} links to the task that created the run, for runs made by a trigger task.
     */
    public record Column(String runId, String runIdUrl, String cssClass, StateStyle style, String runType,
                         String shortDate, String hover, boolean selected, String href, RunPanel.Link triggeredBy) {
    }

    /**
     * One square, kept small (a page can hold 20,000): {@code cssClass} is the square's whole class list,
     * {@code href} is relative to the page, {@code hover} names the task instance (the card adds the run's details
     * from the column header; screen readers get the run and task from the table's headers).
     */
    public record Cell(String cssClass, String glyph, String label, String hover, String href) {
    }

    public record Row(String taskId, boolean removed, boolean selected, List<Cell> cells) {
    }

    private final String dagId;
    private final String description;
    private final boolean paused;
    private final String schedule;
    private final List<DatasetPage.DatasetLink> datasets;
    private final List<Column> columns;
    private final List<Row> rows;
    private final List<StateStyle> legend;
    private final String olderHref;
    private final String newerHref;
    private final int numRuns;
    private final Object panel;

    GridPage(PageUser user, String dagId, String description, boolean paused, String schedule, List<String> datasets,
             List<Column> columns, List<Row> rows, List<StateStyle> legend, String olderHref, String newerHref, int numRuns,
             Object panel) {
        super("grid.mustache", dagId + " · grid", user, "dags");
        this.dagId = dagId;
        this.description = description;
        this.paused = paused;
        this.schedule = schedule;
        this.datasets = datasets.stream().map(DatasetPage.DatasetLink::new).toList();
        this.columns = columns;
        this.rows = rows;
        this.legend = legend;
        this.olderHref = olderHref;
        this.newerHref = newerHref;
        this.numRuns = numRuns;
        this.panel = panel;
    }

    public String getDagId() {
        return dagId;
    }

    public String getDagIdUrl() {
        return Urls.encode(dagId);
    }

    public String getDescription() {
        return description;
    }

    public boolean isPaused() {
        return paused;
    }

    public String getSchedule() {
        return schedule;
    }

    /** The datasets the DAG is scheduled on (besides or instead of its cron). */
    public List<DatasetPage.DatasetLink> getDatasets() {
        return datasets;
    }

    public boolean isTriggeredOnly() {
        return schedule == null && datasets.isEmpty();
    }

    public List<Column> getColumns() {
        return columns;
    }

    public List<Row> getRows() {
        return rows;
    }

    public List<StateStyle> getLegend() {
        return legend;
    }

    public String getOlderHref() {
        return olderHref;
    }

    public String getNewerHref() {
        return newerHref;
    }

    public int getNumRuns() {
        return numRuns;
    }

    public String getBack() {
        return "/dags/" + getDagIdUrl() + "/grid";
    }

    /** The selected run's panel, or null. */
    public RunPanel getRunPanel() {
        return panel instanceof RunPanel r ? r : null;
    }

    /** The selected task instance's panel, or null. */
    public TaskPanel getTaskPanel() {
        return panel instanceof TaskPanel t ? t : null;
    }
}
