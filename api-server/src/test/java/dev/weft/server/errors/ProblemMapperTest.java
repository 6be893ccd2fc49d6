package dev.weft.server.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.model.ClearTaskInstances;
import dev.weft.api.model.TriggerDagRun;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Body errors read the way Airflow words them. */
class ProblemMapperTest {
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private String describe(String json, Class<?> type) {
        return ProblemMapper.describe(catchThrowableOfType(JsonProcessingException.class,
                () -> mapper.readValue(json, type)));
    }

    @Test
    void unknownAndReadOnlyFieldsAreUnknownFields() {
        assertThat(describe("{\"state\": \"running\"}", TriggerDagRun.class)).isEqualTo("{'state': ['Unknown field.']}");
    }

    @Test
    void wrongTypesNameTheField() {
        assertThat(describe("{\"conf\": \"x\"}", TriggerDagRun.class))
                .isEqualTo("{'conf': ['Not a valid mapping type.']}");
        assertThat(describe("{\"task_ids\": 3}", ClearTaskInstances.class)).startsWith("{'task_ids': ['Not a valid list.");
        assertThat(describe("[1]", TriggerDagRun.class)).isEqualTo("The request body must be a JSON object");
    }

    @Test
    void syntaxErrorsSayWhere() {
        assertThat(describe("{\n  \"conf\": {,}}", TriggerDagRun.class))
                .startsWith("The request body is not valid JSON at line 2, column");
        assertThat(describe("", TriggerDagRun.class)).contains("A request body is required");
    }
}
