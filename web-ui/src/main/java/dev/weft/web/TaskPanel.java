package dev.weft.web;

import java.util.List;

/**
 * The panel of a selected task instance: state, every try with its log, the rendered params, and for sensors what
 * they wait for now; the runs a trigger task created and the run that triggered this run.
 */
public record TaskPanel(String dagId, String runId, String runIdUrl, String taskId, String taskIdUrl,
                        StateStyle style, String operator, String plugin, String pool, int tryNumber, int maxTries,
                        String queuedAt, String startDate, String endDate, String duration, String hostname,
                        String nextAttemptAt, boolean inDag, List<Param> params, String paramsError,
                        Sensor sensor, List<RunPanel.Link> triggered, boolean triggerTask,
                        RunPanel.Link runTriggeredBy, List<Try> tries) {
    /** A param as the try sees it (templates rendered), as JSON. */
    public record Param(String name, String value, boolean templated) {
    }

    /** A reschedule-mode poke that answered "not yet". */
    public record Reschedule(int tryNumber, int pokeCount, String startDate, String endDate, String rescheduleDate) {
    }

    /**
     * What a sensor waits for right now: files ({@code paths}), or another DAG's tasks at a logical date
     * ({@code external}, with a link to that run when it exists); its last answer and when it pokes next.
     */
    public record Sensor(String mode, String pokeInterval, String timeout, String firstPokeAt, int pokeCount,
                         List<String> paths, String externalDag, String externalDagHref, String externalTasks,
                         String externalDate, String externalRule, RunPanel.Link externalRun, String lastAnswer,
                         String nextPoke, boolean waiting, List<Reschedule> reschedules) {
    }

    /** An XCom of a try: its key and its value as JSON. */
    public record XCom(String key, String value) {
    }

    /**
     * A try, its log and XComs (only the latest try has XComs: a new try starts without them); {@code live} for the
     * try in progress (its log is refreshed while the page is open).
     */
    public record Try(int number, StateStyle style, String startDate, String endDate, String duration,
                      String hostname, String plugin, String log, boolean truncated, boolean live, boolean open,
                      List<XCom> xcoms) {
        public boolean isEmptyLog() {
            return log.isEmpty();
        }
    }

    public boolean isUnfinished() {
        return switch (style.state()) {
            case "success", "failed", "skipped", "upstream_failed", "removed" -> false;
            default -> true;
        };
    }
}
