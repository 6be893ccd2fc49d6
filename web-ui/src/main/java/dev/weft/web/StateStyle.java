package dev.weft.web;

/**
 * How a task-instance or run state is drawn: a CSS class for its colour, a glyph and a label, so a state never
 * depends on colour alone.
 */
public record StateStyle(String state, String cssClass, String glyph, String label) {
    /** Every task-instance state a legend explains, in lifecycle order. */
    public static final java.util.List<StateStyle> LEGEND = java.util.stream.Stream.of("none", "scheduled", "queued",
            "running", "success", "failed", "up_for_retry", "up_for_reschedule", "upstream_failed", "skipped",
            "deferred", "restarting", "removed").map(StateStyle::of).toList();

    /** The style of a wire state name ({@code success}, {@code up_for_retry}, …); null or empty is "no status". */
    public static StateStyle of(String state) {
        String s = state == null || state.isEmpty() ? "none" : state;
        return switch (s) {
            case "success" -> new StateStyle(s, "st-success", "✓", "success");
            case "failed" -> new StateStyle(s, "st-failed", "✕", "failed");
            case "running" -> new StateStyle(s, "st-running", "▶", "running");
            case "queued" -> new StateStyle(s, "st-queued", "…", "queued");
            case "scheduled" -> new StateStyle(s, "st-scheduled", "◷", "scheduled");
            case "up_for_retry" -> new StateStyle(s, "st-retry", "↻", "up for retry");
            case "up_for_reschedule" -> new StateStyle(s, "st-reschedule", "◴", "up for reschedule");
            case "upstream_failed" -> new StateStyle(s, "st-upstream-failed", "!", "upstream failed");
            case "skipped" -> new StateStyle(s, "st-skipped", "»", "skipped");
            case "removed" -> new StateStyle(s, "st-removed", "−", "removed");
            case "restarting" -> new StateStyle(s, "st-restarting", "⟲", "restarting");
            case "deferred" -> new StateStyle(s, "st-deferred", "⏸", "deferred");
            case "none" -> new StateStyle(s, "st-none", "", "no status");
            default -> new StateStyle(s, "st-other", "?", s.replace('_', ' '));
        };
    }
}
