package dev.weft.web;

import java.util.List;

/** A DAG's graph view. */
public final class GraphPage extends Page {
    /** A task in the text alternative to the drawing. */
    public record TaskItem(String taskId, String type, StateStyle style, String href, List<String> upstream,
                           CrossItem cross) {
    }

    /** What a trigger or external-task sensor names; {@code href} is null when the DAG id is a template. */
    public record CrossItem(String kind, String verb, String otherDag, String href, String tasks) {
    }

    public record RunChoice(String runId, String runType, String state, String logicalDate, boolean selected) {
    }

    private final String dagId;
    private final String description;
    private final GraphDrawing drawing;
    private final List<TaskItem> tasks;
    private final List<RunChoice> runs;
    private final String runId;
    private final boolean runMissing;

    GraphPage(PageUser user, String dagId, String description, GraphDrawing drawing, List<TaskItem> tasks,
              List<RunChoice> runs, String runId, boolean runMissing) {
        super("graph.mustache", dagId + " · Graph", user, "dags");
        this.dagId = dagId;
        this.description = description;
        this.drawing = drawing;
        this.tasks = tasks;
        this.runs = runs;
        this.runId = runId;
        this.runMissing = runMissing;
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

    public GraphDrawing getDrawing() {
        return drawing;
    }

    public List<TaskItem> getTasks() {
        return tasks;
    }

    public List<RunChoice> getRuns() {
        return runs;
    }

    public String getRunId() {
        return runId;
    }

    public String getRunIdUrl() {
        return Urls.encode(runId);
    }

    public boolean isRunMissing() {
        return runMissing;
    }

    public List<StateStyle> getLegend() {
        return StateStyle.LEGEND;
    }
}
