package dev.weft.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A DAG's schedule as Airflow shows it: a cron expression (or preset) or a fixed time delta. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "__type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ScheduleInterval.CronExpression.class, name = "CronExpression"),
        @JsonSubTypes.Type(value = TimeDelta.class, name = "TimeDelta")})
public sealed interface ScheduleInterval permits ScheduleInterval.CronExpression, TimeDelta {
    record CronExpression(@JsonProperty("value") String value) implements ScheduleInterval {
    }
}
