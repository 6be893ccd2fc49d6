package dev.weft.store;

import dev.weft.engine.json.Json;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.DagSpec;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rows become records by their components' names in snake case, through the column mappers Jdbi has. */
class RecordRowsTest {
    private static TestDatabase db;

    public record Row(long id, String dagId, int tryNumber, TaskState state, Instant startDate, Map<String, Object> conf,
                      boolean paused) {
    }

    public record Holder(DagSpec spec) {
    }

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void columnsInAnyOrderFillTheComponentsOfTheirNameAndTheOthersAreIgnored() {
        List<Row> rows = db.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT 'extra' AS note, v.paused, v.state, v.try_number, v.dag_id, v.id,
                               v.start_date, v.conf::text AS conf
                        FROM (VALUES (1::bigint, 'a', 2, 'up_for_retry', timestamptz '2026-12-07 10:00:00.123456+00',
                                      '{"k": [1, 2]}'::jsonb, true),
                                     (2, 'b', 0, 'success', NULL, NULL, false))
                          AS v(id, dag_id, try_number, state, start_date, conf, paused) ORDER BY v.id""")
                .mapTo(Row.class).list());

        assertThat(rows).containsExactly(
                new Row(1, "a", 2, TaskState.UP_FOR_RETRY, Instant.parse("2026-12-07T10:00:00.123456Z"),
                        Json.readObject("{\"k\": [1, 2]}"), true),
                new Row(2, "b", 0, TaskState.SUCCESS, null, null, false));
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThereAre() {
        assertThatThrownBy(() -> db.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT 1::bigint AS id, 'a' AS dag_id").mapTo(Row.class).list()))
                .hasMessageContaining("Record " + Row.class.getName() + ": no column for its component 'tryNumber'"
                        + " among [id, dag_id]");
    }

    @Test
    void aRecordMappedFromOneColumnKeepsItsColumnMapper() {
        String json = "{\"dagId\": \"one\", \"tasks\": []}";
        DagSpec spec = db.database().jdbi().withHandle(h -> h.createQuery("SELECT :json AS spec")
                .bind("json", json).mapTo(DagSpec.class).one());
        assertThat(spec.dagId()).isEqualTo("one");
        assertThat(db.database().jdbi().withHandle(h -> h.createQuery("SELECT :json AS spec")
                .bind("json", json).mapTo(Holder.class).one()).spec()).isEqualTo(spec);
    }

    @Test
    void theMapperOfAShapeOfColumnsIsMadeOnceAndTheOtherShapesGetTheirOwn() throws Exception {
        RecordRows rows = new RecordRows();
        RowMapper<?> mapper = rows.build(Row.class, db.database().jdbi().getConfig()).orElseThrow();
        String sql = "SELECT 1::bigint AS id, 'a' AS dag_id, 2 AS try_number, 'queued' AS state,"
                + " NULL::timestamptz AS start_date, NULL AS conf, false AS paused";
        try (Handle h = db.database().jdbi().open()) {
            RowMapper<?> first = specialized(h, sql, mapper);
            assertThat(specialized(h, sql, mapper)).isSameAs(first);
            assertThat(specialized(h, sql.replace("AS paused", "AS paused, 0 AS more"), mapper)).isNotSameAs(first);
        }
    }

    private static RowMapper<?> specialized(Handle h, String sql, RowMapper<?> mapper) {
        Query query = h.createQuery(sql);
        return query.scanResultSet((supplier, ctx) -> {
            ResultSet rs = supplier.get();
            return mapper.specialize(rs, ctx);
        });
    }
}
