package dev.weft.store;

import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.ColumnMappers;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.statement.StatementContext;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Maps rows to Java records, each component from the column of its name in snake case ({@code dag_id} to
 * {@code dagId}, as Jdbi's constructor mapper matches them), through the column mappers registered with Jdbi.
 *
 * <p>Jdbi's constructor mapper works out which column goes to which parameter, and each parameter's column mapper,
 * anew for every result set, by reflection and generic type resolution, and calls the constructor through
 * {@code MethodHandle.invokeWithArguments}. The scheduler runs a dozen such queries a pass: that was a tenth of its
 * CPU, and code whose type profiles kept changing, so that the JIT went on recompiling it long after a warm-up. Here
 * that work is done once per record type and list of columns, and kept.
 */
final class RecordRows implements RowMapperFactory {
    private record Shape(Class<?> type, List<String> columns) {
    }

    private final ConcurrentMap<Shape, RowMapper<?>> mappers = new ConcurrentHashMap<>();

    @Override
    public Optional<RowMapper<?>> build(Type type, ConfigRegistry config) {
        // A record Jdbi maps from one column (a DAG's spec from its JSON) keeps its column mapper.
        return type instanceof Class<?> c && c.isRecord() && config.get(ColumnMappers.class).findFor(c).isEmpty()
                ? Optional.of(new Mapper(c)) : Optional.empty();
    }

    /** Maps rows to one record type: finds, or makes once, the mapper of a result set's columns. */
    private final class Mapper implements RowMapper<Object> {
        private final Class<?> type;

        Mapper(Class<?> type) {
            this.type = type;
        }

        @Override
        public Object map(ResultSet rs, StatementContext ctx) throws SQLException {
            return specialize(rs, ctx).map(rs, ctx);
        }

        @Override
        @SuppressWarnings("unchecked")
        public RowMapper<Object> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            String[] columns = new String[meta.getColumnCount()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = meta.getColumnLabel(i + 1);
            }
            Shape shape = new Shape(type, Arrays.asList(columns));
            RowMapper<?> mapper = mappers.get(shape);
            if (mapper == null) {
                mapper = mappers.computeIfAbsent(shape, s -> compile(type, columns, ctx));
            }
            return (RowMapper<Object>) mapper;
        }
    }

    /** The mapper of {@code type} from result sets of these columns: each component's column and mapper, found once. */
    private static RowMapper<Object> compile(Class<?> type, String[] columns, StatementContext ctx) {
        RecordComponent[] components = type.getRecordComponents();
        int[] indexes = new int[components.length];
        List<ColumnMapper<?>> columnMappers = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            indexes[i] = columnOf(component.getName(), columns);
            if (indexes[i] == 0) {
                throw new IllegalArgumentException("Record " + type.getName() + ": no column for its component '"
                        + component.getName() + "' among " + Arrays.toString(columns));
            }
            Type componentType = component.getGenericType();
            columnMappers.add(ctx.findColumnMapperFor(componentType).orElseThrow(() -> new IllegalArgumentException(
                    "Record " + type.getName() + ": no column mapper for its component '" + component.getName()
                            + "' of type " + componentType.getTypeName())));
        }
        ColumnMapper<?>[] mappers = columnMappers.toArray(ColumnMapper<?>[]::new);
        MethodHandle constructor = constructor(type, components);
        return (rs, ctx2) -> {
            Object[] values = new Object[mappers.length];
            for (int i = 0; i < mappers.length; i++) {
                values[i] = mappers[i].map(rs, indexes[i], ctx2);
            }
            try {
                return constructor.invokeExact(values);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("Record " + type.getName() + " could not be made from a row", e);
            }
        };
    }

    /** The 1-based index of the column named as {@code component} is in snake case (or as is), 0 when none is. */
    private static int columnOf(String component, String[] columns) {
        String wanted = component.toLowerCase(Locale.ROOT);
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The canonical constructor as {@code (Object[]) -> Object}, one shape for every record type. */
    private static MethodHandle constructor(Class<?> type, RecordComponent[] components) {
        Class<?>[] parameters = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            var declared = type.getDeclaredConstructor(parameters);
            declared.setAccessible(true);
            return MethodHandles.lookup().unreflectConstructor(declared)
                    .asSpreader(Object[].class, parameters.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("Record " + type.getName() + ": its canonical constructor cannot be"
                    + " called", e);
        }
    }
}
