package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A pool with its current use (the slot counts are read-only). */
public record Pool(@JsonProperty("name") String name,
                   @JsonProperty("slots") int slots,
                   @JsonProperty("occupied_slots") int occupiedSlots,
                   @JsonProperty("running_slots") int runningSlots,
                   @JsonProperty("queued_slots") int queuedSlots,
                   @JsonProperty("open_slots") int openSlots,
                   @JsonProperty("scheduled_slots") int scheduledSlots,
                   @JsonProperty("deferred_slots") int deferredSlots,
                   @JsonProperty("description") String description,
                   @JsonProperty("include_deferred") boolean includeDeferred) {
}
