package dev.weft.web;

import java.util.List;

/**
 * The panel of a selected run: its details, conf, lineage (which task triggered it, which runs it triggered, the
 * dataset events a dataset-triggered run consumed), and what it waits for when a recursive clear left it waiting
 * ({@code waitsFor}, null otherwise).
 */
public record RunPanel(String dagId, String runId, String runIdUrl, String runType, StateStyle style,
                       String logicalDate, String dataInterval, String queuedAt, String startDate, String endDate,
                       String duration, boolean externalTrigger, String conf, String note, Link triggeredBy,
                       List<Link> triggered, List<Link> consumedEvents, String waitsFor) {
    /** A link to another run or task instance, with what it shows. */
    public record Link(String text, String href) {
    }

    public boolean isFinished() {
        return "success".equals(style.state()) || "failed".equals(style.state());
    }
}
