package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

public record ImportErrorCollection(@JsonProperty("import_errors") List<ImportError> importErrors,
                                    @JsonProperty("total_entries") long totalEntries) {
}
