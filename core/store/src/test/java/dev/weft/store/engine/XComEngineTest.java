package dev.weft.store.engine;

import dev.weft.engine.runs.RunService;
import dev.weft.engine.secrets.SecretCipher;
import dev.weft.engine.store.RunRecord;
import dev.weft.engine.store.XComStore;
import dev.weft.engine.xcom.XComs;
import dev.weft.spi.TaskState;
import dev.weft.spi.dag.Dag;
import dev.weft.spi.dag.DagBuilder;
import dev.weft.spi.dag.OperatorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aSecretInAnXComIsPulledAsItIsAndShownMaskedWhereverItGoes() {
        engine = new EngineHarness(NOW);
        String secret = "tok-abc-123";
        engine.variables.set("api_token", secret, null);
        DagBuilder b = Dag.builder("hand_off");
        var fetch = b.task("fetch", OperatorRef.of("test.return_text", Map.of("text",
                "Bearer {{ var.value.api_token }}")));
        // Neither reads the variable: what they know of the secret comes with the XCom.
        fetch.then(b.task("by_template", OperatorRef.of("test.echo", Map.of("text",
                "{{ ti.xcom_pull(task_ids='fetch') }} of length {{ ti.xcom_pull(task_ids='fetch') | length }}"))));
        fetch.then(b.task("by_code", OperatorRef.of("test.pull", Map.of("key", "fetch"))));
        fetch.then(b.task("relay", OperatorRef.of("test.return_text", Map.of("text",
                "again {{ ti.xcom_pull(task_ids='fetch', key='copy')['nested'][0] }}"))));
        b.task("plain", OperatorRef.of("test.return_text", Map.of("text", "nothing secret")));
        engine.register(b.build());
        RunRecord run = engine.runs.trigger(new RunService.Trigger("hand_off", null, null, null, Map.of(), null,
                null));
        engine.settle();

        // Pulled as it was returned (18 characters), logged masked.
        assertThat(engine.log("hand_off", run.runId(), "by_template", 1)).contains("INFO echo Bearer *** of length 18")
                .noneMatch(l -> l.contains(secret));
        assertThat(engine.log("hand_off", run.runId(), "by_code", 1)).contains("INFO pulled Bearer *** and (none)");

        // Stored as returned, with the secrets it contains encrypted beside it; shown masked.
        XComStore store = engine.db.xcoms();
        XComStore.Entry returned = store.find("hand_off", run.runId(), "fetch", "return_value").orElseThrow();
        assertThat(returned.valueJson()).isEqualTo("\"Bearer " + secret + "\"");
        assertThat(returned.secrets()).startsWith("v1:").doesNotContain(secret);
        assertThat(engine.xcoms.shown(returned)).isEqualTo("Bearer ***");
        assertThat(engine.xcoms.shown(store.find("hand_off", run.runId(), "fetch", "copy").orElseThrow()))
                .isEqualTo(Map.of("nested", List.of("Bearer ***")));
        // A task that returns what it pulled remembers the secret too.
        assertThat(engine.xcoms.shown(store.find("hand_off", run.runId(), "relay", "return_value").orElseThrow()))
                .isEqualTo("again Bearer ***");
        XComStore.Entry plain = store.find("hand_off", run.runId(), "plain", "return_value").orElseThrow();
        assertThat(plain.secrets()).isNull();
        assertThat(engine.xcoms.shown(plain)).isEqualTo("nothing secret");

        // A re-run starts without the secrets of the previous try's return value (this one fails: no variable).
        engine.variables.delete("api_token");
        engine.runs.clearTasks("hand_off", run.runId(), List.of("fetch"), false);
        engine.settle();
        String fetchSecrets = engine.db.jdbi().withHandle(h -> h.createQuery("SELECT output_secrets FROM task_instance"
                + " WHERE dag_id = 'hand_off' AND task_id = 'fetch'").mapTo(String.class).one());
        assertThat(fetchSecrets).isNull();

        // A new key: the rotation encrypts the secrets of the two values of 'relay' again.
        byte[] newKey = new byte[32];
        Arrays.fill(newKey, (byte) 7);
        assertThat(new XComs(store, new SecretCipher(newKey, List.of(new byte[32])), XComs.DEFAULT_MAX_BYTES,
                engine.clock).reencryptAll()).isEqualTo(2);
        XComStore.Entry relayed = store.find("hand_off", run.runId(), "relay", "return_value").orElseThrow();
        assertThat(new XComs(store, new SecretCipher(newKey), XComs.DEFAULT_MAX_BYTES, engine.clock).shown(relayed))
                .isEqualTo("again Bearer ***");
        assertThatThrownBy(() -> engine.xcoms.shown(relayed))
                .isInstanceOf(SecretCipher.SecretDecryptionException.class);
    }
}
