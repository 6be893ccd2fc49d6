package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.XComStore;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** XComs through the real store and worker: pushed, returned, pulled by code and templates, cleared by a re-run. */
class XComEngineTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private EngineHarness engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void downstreamTasksPullWhatTheFirstReturnedAndPushedUntilItsReRunStarts() {
        engine = new EngineHarness(NOW);
        DagBuilder b = Dag.builder("xc");
        var first = b.task("first", OperatorRef.of("test.push", Map.of("text", "rows")));
        first.then(b.task("second", OperatorRef.of("test.pull", Map.of("key", "first"))));
        first.then(b.task("templated", OperatorRef.of("test.echo", Map.of("text",
                "{{ ti.xcom_pull(task_ids='first')['text'] }} / {{ ti.xcom_pull(task_ids='first', key='note') }}"
                        + " / {{ ti.xcom_pull(task_ids=['first', 'second', 'templated'], key='note') }}"
                        + " / {{ ti.xcom_pull('nope', default='none') }}"))));
        b.task("big", OperatorRef.of("test.big_output", Map.of()));
        b.task("bad_keyword", OperatorRef.of("test.echo", Map.of("text",
                "{{ ti.xcom_pull(task_ids='first', dag_id='other') }}")));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("xc", null, null, null, Map.of(), null, null));
        engine.settle();

        assertThat(engine.log("xc", run.runId(), "second", 1)).contains("INFO pulled {try=1, text=rows} and rows noted");
        assertThat(engine.log("xc", run.runId(), "templated", 1)).contains("INFO echo rows / rows noted / ['rows noted'] / none");
        assertThat(engine.ti("xc", run.runId(), "big").state()).isEqualTo(TaskState.FAILED);
        assertThat(engine.log("xc", run.runId(), "big", 1)).anyMatch(l -> l.contains("XCom 'return_value' of task"
                + " 'big' is 49154 bytes of JSON; the limit is 49152 bytes (xcomMaxBytes"));
        assertThat(engine.log("xc", run.runId(), "bad_keyword", 1))
                .anyMatch(l -> l.contains("unsupported keyword argument 'dag_id'"));

        XComStore store = engine.db.xcoms();
        XComStore.Filter ofFirst = new XComStore.Filter("xc", run.runId(), "first", null);
        assertThat(store.list(ofFirst, false, 10, 0)).extracting(XComStore.Entry::key).containsExactly("note", "return_value");
        assertThat(store.list(new XComStore.Filter(null, null, null, "note"), true, 10, 0)).singleElement()
                .extracting(XComStore.Entry::valueJson).isEqualTo("\"rows noted\"");
        assertThat(store.count(new XComStore.Filter("xc", null, null, null))).isEqualTo(2);
        assertThat(store.list(ofFirst, false, 10, 0)).allMatch(e -> e.valueJson() == null);
        assertThat(store.find("xc", run.runId(), "first", "note").orElseThrow().valueJson()).isEqualTo("\"rows noted\"");

        // Cleared, the XComs stay until the re-run starts (Airflow B7.5); the second try pushes no note.
        engine.runs.clearTasks("xc", run.runId(), List.of("first"), false);
        assertThat(store.count(ofFirst)).isEqualTo(2);
        engine.settle();
        assertThat(engine.ti("xc", run.runId(), "first").tryNumber()).isEqualTo(2);
        assertThat(store.list(ofFirst, false, 10, 0)).extracting(XComStore.Entry::key).containsExactly("return_value");
        assertThat(store.find("xc", run.runId(), "first", "return_value").orElseThrow().valueJson())
                .contains("\"try\": 2");
    }
}
