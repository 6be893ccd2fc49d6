package dev.weft.engine.runs;

import dev.weft.spi.RunType;

import dev.weft.engine.template.PyDates;

import java.time.Instant;
import java.util.regex.Pattern;

/** Airflow's run ids: {@code <run_type>__<logical date ISO>}, e.g. {@code scheduled__2026-11-20T00:00:00+00:00}. */
public final class RunIds {
    /** Airflow's {@code allowed_run_id_pattern}. */
    public static final Pattern ALLOWED = Pattern.compile("^[A-Za-z0-9_.~:+-]+$");

    private RunIds() {
    }

    public static String generate(RunType type, Instant logicalDate) {
        return type.wireName() + "__" + PyDates.isoformat(logicalDate);
    }

}
