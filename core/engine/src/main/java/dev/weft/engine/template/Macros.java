package dev.weft.engine.template;

import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;

/**
 * {@code macros} in templates: Airflow's {@code ds_add} and {@code ds_format}
 * ({@code airflow/macros/__init__.py}), with Python {@code strftime} formats (see {@link Strftime}).
 * Stateless; one shared instance.
 */
public final class Macros {
    static final Macros INSTANCE = new Macros();

    private Macros() {
    }

    /**
     * {@code macros.ds_add('2015-01-01', 5)} → {@code '2015-01-06'}; negative days go back. As in Airflow,
     * {@code ds} is read with {@code %Y-%m-%d}, and 0 (or none) days returns {@code ds} unchanged.
     */
    public String ds_add(Object ds, Object days) {
        String text = String.valueOf(ds);
        if (days == null || (days instanceof Number n && n.doubleValue() == 0)) {
            return text;
        }
        if (!(days instanceof Number n)) {
            throw new IllegalArgumentException("ds_add(ds, days): days must be a number, got '" + days + "'");
        }
        Temporal date = Strftime.parse(text, "%Y-%m-%d");
        double d = n.doubleValue();
        Temporal shifted = d == Math.rint(d)
                ? date.plus(n.longValue(), ChronoUnit.DAYS)
                : date.plus(Math.round(d * 86_400_000_000.0), ChronoUnit.MICROS);
        return Strftime.format(shifted, "%Y-%m-%d");
    }

    /**
     * {@code macros.ds_format('2015-01-01', '%Y-%m-%d', '%m-%d-%y')} → {@code '01-01-15'}: Python's
     * {@code datetime.strptime(ds, input_format).strftime(output_format)}.
     */
    public String ds_format(Object ds, String inputFormat, String outputFormat) {
        return Strftime.format(Strftime.parse(String.valueOf(ds), inputFormat), outputFormat);
    }

    @Override
    public String toString() {
        return "<module 'macros'>";
    }
}
