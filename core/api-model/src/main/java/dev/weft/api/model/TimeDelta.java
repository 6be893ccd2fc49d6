package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Python's timedelta as Airflow serialises it: {@code {"__type": "TimeDelta", "days", "seconds", "microseconds"}}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "__type")
public record TimeDelta(@JsonProperty("days") long days, @JsonProperty("seconds") long seconds,
                        @JsonProperty("microseconds") long microseconds) implements ScheduleInterval {
}
