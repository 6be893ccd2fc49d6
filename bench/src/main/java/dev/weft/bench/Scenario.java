package dev.weft.bench;

import java.util.List;

/**
 * One benchmark scenario: builds what it needs in fresh databases ({@link BenchContext#freshDatabase()}), measures,
 * and returns its rows of the table. New scenarios implement this and are listed in {@link Bench#SCENARIOS}.
 */
interface Scenario {
    /** The name on the command line: {@code ./weft bench <name>}. */
    String name();

    /** One line for {@code --list}. */
    String description();

    List<Row> run(BenchContext context) throws Exception;

    /**
     * A row of the table. {@code met} is null when the figure has no target; {@code target} is shown as it is, with
     * "met" or "missed" appended when {@code met} is known.
     */
    record Row(String scenario, String result, String target, Boolean met, String notes) {
        static Row of(String scenario, String result, String target, Boolean met, String notes) {
            return new Row(scenario, result, target, met, notes);
        }

        /** A figure reported for context, without a target. */
        static Row info(String scenario, String result, String notes) {
            return new Row(scenario, result, "–", null, notes);
        }
    }
}
