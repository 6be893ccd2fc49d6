package dev.weft.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerFormTest {
    private static final Map<String, Object> NO_PARAMS = Map.of();

    @Test
    void aConfIsAJsonObjectAndABlankOneIsEmpty() {
        TriggerForm.Parsed parsed = TriggerForm.parse("{\"supermarket_id\": 3}", Map.of(), NO_PARAMS, "", "");
        assertThat(parsed.ok()).isTrue();
        assertThat(parsed.conf()).containsExactly(Map.entry("supermarket_id", 3));
        assertThat(parsed.runId()).isNull();
        assertThat(parsed.logicalDate()).isNull();
        assertThat(TriggerForm.parse("  ", Map.of(), NO_PARAMS, null, null).conf()).isEmpty();
    }

    @Test
    void invalidJsonSaysWhereWithoutTheParsersSourcePointer() {
        TriggerForm.Parsed parsed = TriggerForm.parse("{\"supermarket_id\": 3", Map.of(), NO_PARAMS, "", "");
        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.field()).isEqualTo("conf");
        assertThat(parsed.error()).startsWith("The conf is not valid JSON (line 1, column 21)")
                .doesNotContain("Source");
    }

    @Test
    void aConfThatIsNotAnObjectIsRefused() {
        for (String text : List.of("[1, 2]", "3", "\"x\"", "null")) {
            TriggerForm.Parsed parsed = TriggerForm.parse(text, Map.of(), NO_PARAMS, "", "");
            assertThat(parsed.error()).as(text).isEqualTo(
                    "The conf must be a JSON object, such as {\"supermarket_id\": 3}");
        }
    }

    @Test
    void changedParamFieldsFillTheConfTypedLikeTheirDefaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("supermarket_id", 1);
        defaults.put("region", "north");
        defaults.put("dry_run", false);
        String conf = TriggerForm.json(defaults);
        TriggerForm.Parsed parsed = TriggerForm.parse(conf, Map.of("supermarket_id", "4", "region", "south",
                "dry_run", "false"), defaults, "", "");
        assertThat(parsed.conf()).containsEntry("supermarket_id", 4).containsEntry("region", "south")
                .containsEntry("dry_run", false);
    }

    @Test
    void aKeyChangedInTheConfWinsOverItsField() {
        Map<String, Object> defaults = Map.of("supermarket_id", 1);
        TriggerForm.Parsed parsed = TriggerForm.parse("{\"supermarket_id\": 7}", Map.of("supermarket_id", "4"),
                defaults, "", "");
        assertThat(parsed.conf()).containsExactly(Map.entry("supermarket_id", 7));
    }

    @Test
    void aParamFieldOfTheWrongKindNamesTheParam() {
        TriggerForm.Parsed parsed = TriggerForm.parse("{}", Map.of("supermarket_id", "four"),
                Map.of("supermarket_id", 1), "", "");
        assertThat(parsed.field()).isEqualTo("param.supermarket_id");
        assertThat(parsed.error()).contains("'supermarket_id'").contains("four");
    }

    @Test
    void logicalDatesAreUtcWithOrWithoutAnOffset() {
        assertThat(TriggerForm.date("2026-12-06T16:00:00Z")).isEqualTo(Instant.parse("2026-12-06T16:00:00Z"));
        assertThat(TriggerForm.date("2026-12-06 16:00")).isEqualTo(Instant.parse("2026-12-06T16:00:00Z"));
        assertThat(TriggerForm.date("2026-12-06T18:00:00+02:00")).isEqualTo(Instant.parse("2026-12-06T16:00:00Z"));
        TriggerForm.Parsed parsed = TriggerForm.parse("{}", Map.of(), NO_PARAMS, " my_run ", "yesterday");
        assertThat(parsed.field()).isEqualTo("logical_date");
        assertThat(parsed.error()).contains("'yesterday'");
        assertThat(TriggerForm.parse("{}", Map.of(), NO_PARAMS, " my_run ", "").runId()).isEqualTo("my_run");
    }
}
