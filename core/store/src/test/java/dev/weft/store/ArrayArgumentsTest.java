package dev.weft.store;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Arrays reach PostgreSQL whole: every element, its nulls, and an instant to the microsecond. */
class ArrayArgumentsTest {
    private static TestDatabase db;
    private static Probe probe;

    public interface Probe {
        @SqlQuery("SELECT concat_ws('|', pg_typeof(:a), array_length(:a, 1), array_to_string(:a, ',', 'NULL'))")
        String longs(@Bind("a") long[] a);

        @SqlQuery("SELECT concat_ws('|', pg_typeof(:a), array_length(:a, 1), array_to_string(:a, ',', 'NULL'))")
        String ints(@Bind("a") int[] a);

        @SqlQuery("SELECT concat_ws('|', array_length(:a, 1), array_to_string(:a, ',', 'NULL'))")
        String strings(@Bind("a") String[] a);

        @SqlQuery("SELECT v.n || '=' || COALESCE(to_char(v.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), 'NULL')"
                + " FROM unnest(:at) WITH ORDINALITY AS v(at, n) ORDER BY v.n")
        List<String> instants(@Bind("at") Instant[] at);

        @SqlQuery("SELECT :a IS NULL")
        boolean isNull(@Bind("a") long[] a);
    }

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        probe = db.database().jdbi().onDemand(Probe.class);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void primitiveArraysKeepTheirTypeAndEveryElement() {
        assertThat(probe.longs(new long[]{1, Long.MAX_VALUE, -3})).isEqualTo("bigint[]|3|1,9223372036854775807,-3");
        assertThat(probe.ints(new int[]{7, 0})).isEqualTo("integer[]|2|7,0");
        assertThat(probe.longs(new long[0])).isEqualTo("bigint[]|");
        assertThat(probe.isNull(null)).isTrue();
    }

    @Test
    void stringsKeepTheirNullsQuotesAndCommas() {
        assertThat(probe.strings(new String[]{"a,b", null, "say \"hi\"", "back\\slash", "{}", "NULL"}))
                .isEqualTo("6|a,b,NULL,say \"hi\",back\\slash,{},NULL");
    }

    @Test
    void instantsArriveToTheMicrosecondWithTheirNulls() {
        Instant at = Instant.parse("2026-12-07T07:10:55.123456Z");
        assertThat(probe.instants(new Instant[]{at, null, Instant.parse("1999-01-01T00:00:00Z"), null,
                Instant.parse("2026-12-31T23:59:59.999999Z")}))
                .containsExactly("1=2026-12-07 07:10:55.123456", "2=NULL", "3=1999-01-01 00:00:00.000000", "4=NULL",
                        "5=2026-12-31 23:59:59.999999");
        assertThat(probe.instants(new Instant[]{null})).containsExactly("1=NULL");
        assertThat(probe.instants(new Instant[0])).isEmpty();
    }
}
