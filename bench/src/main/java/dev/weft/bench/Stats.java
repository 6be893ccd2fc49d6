package dev.weft.bench;

import java.util.List;
import java.util.Locale;

/** Percentiles and number formats for the table. */
final class Stats {
    private Stats() {
    }

    /** Nearest-rank percentile of ascending {@code sorted} values; 0 for none. */
    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Microseconds as milliseconds: {@code 4.2 ms}, {@code 0.35 ms}, {@code 1,234 ms}. */
    static String ms(long micros) {
        double ms = micros / 1000.0;
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    static String seconds(long micros) {
        return String.format(Locale.ROOT, "%.2f s", micros / 1e6);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
