package dev.weft.store;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A DAO's default methods run through the handle prepared once, and behave as under Jdbi's own handler (a plain Jdbi
 * on the same database): same results, same exceptions.
 */
class PreparedDefaultMethodsTest {
    private static TestDatabase db;
    private static Probe ours;
    private static Probe jdbis;

    public interface Probe {
        @SqlQuery("SELECT :x + 1")
        int plusOne(@Bind("x") int x);

        default int plusTwo(int x) {
            return plusOne(plusOne(x));
        }

        default String joined(String first, List<String> rest, long n) {
            return first + rest + n;
        }

        default boolean adaptedPerCall() {
            // Jdbi's own handler binds the method handle to the DAO and calls invokeWithArguments on every call.
            return StackWalker.getInstance(Set.of(StackWalker.Option.SHOW_HIDDEN_FRAMES,
                            StackWalker.Option.SHOW_REFLECT_FRAMES))
                    .walk(frames -> frames.anyMatch(f -> f.getClassName().equals("java.lang.invoke.MethodHandle")
                            && f.getMethodName().equals("invokeWithArguments")));
        }

        default void fails() throws IOException {
            throw new IOException("disk gone");
        }
    }

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        ours = db.database().jdbi().onDemand(Probe.class);
        jdbis = Jdbi.create(db.dataSource()).installPlugin(new SqlObjectPlugin()).onDemand(Probe.class);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void aDefaultMethodIsCalledWithoutAdaptingTheHandleAtEachCall() {
        assertThat(jdbis.adaptedPerCall()).as("Jdbi's own handler").isTrue();
        assertThat(ours.adaptedPerCall()).isFalse();
        assertThat(db.database().jdbi().withExtension(Probe.class, Probe::adaptedPerCall)).isFalse();
    }

    @Test
    void argumentsResultsAndExceptionsAreAsUnderJdbisOwnHandler() {
        for (Probe probe : List.of(ours, jdbis)) {
            assertThat(probe.plusTwo(40)).isEqualTo(42);
            assertThat(probe.joined("a", List.of("b", "c"), 7L)).isEqualTo("a[b, c]7");
            assertThat(probe.joined(null, List.of(), 0)).isEqualTo("null[]0");
            // Jdbi wraps a checked exception around the handler, whichever handler it is.
            assertThatThrownBy(probe::fails).isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseInstanceOf(IOException.class).hasRootCauseMessage("disk gone");
        }
    }
}
