package dev.weft.store;

import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.postgresql.util.PGobject;

import java.lang.reflect.Type;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Binds the arrays the store's statements take ({@code = ANY(:ids)}, {@code unnest(:ids, :tries, ...)}) straight to
 * the driver: {@code long[]} and {@code int[]} as {@code bigint[]} and {@code integer[]} in binary, {@code String[]} as
 * is, {@code Instant[]} as a {@code timestamptz[]} literal of ISO-8601 text. Jdbi's own array binding boxes and
 * converts every element through a stream before the driver encodes it as text, and went through
 * {@code java.sql.Timestamp} and its calendar for every instant: half of a reschedule-mode sensor's write-back,
 * measured.
 */
final class ArrayArguments implements ArgumentFactory.Preparable {
    @Override
    public Optional<Function<Object, Argument>> prepare(Type type, ConfigRegistry config) {
        if (type == long[].class) {
            return Optional.of(value -> direct(value, "_int8"));
        }
        if (type == int[].class) {
            return Optional.of(value -> direct(value, "_int4"));
        }
        if (type == String[].class) {
            return Optional.of(value -> direct(value, "_varchar"));
        }
        if (type == Instant[].class) {
            return Optional.of(value -> value == null ? nullOf("_timestamptz") : (position, statement, ctx) -> {
                PGobject array = new PGobject();
                array.setType("_timestamptz");
                array.setValue(literal((Instant[]) value));
                statement.setObject(position, array);
            });
        }
        return Optional.empty();
    }

    /**
     * A {@code timestamptz[]} literal, {@code {2026-12-07T17:07:26.123456Z,NULL}}: ISO-8601 needs no quoting there,
     * where the driver's array encoding quotes and escapes every element (a tenth of the worker's samples while
     * 100,000 sensors waited).
     */
    static String literal(Instant[] instants) {
        StringBuilder text = new StringBuilder(2 + 30 * instants.length).append('{');
        for (int i = 0; i < instants.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            if (instants[i] == null) {
                text.append("NULL");
            } else {
                text.append(instants[i]);
            }
        }
        return text.append('}').toString();
    }

    private static Argument direct(Object value, String nullType) {
        return value == null ? nullOf(nullType) : (position, statement, ctx) -> statement.setObject(position, value);
    }

    /** A null array still says its type, as PostgreSQL cannot tell it from {@code unnest(:ids)} or {@code :ids IS NULL}. */
    private static Argument nullOf(String arrayType) {
        return (position, statement, ctx) -> statement.setNull(position, Types.ARRAY, arrayType);
    }
}
