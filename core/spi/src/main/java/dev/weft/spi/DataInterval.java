package dev.weft.spi;

import java.time.Instant;

/** The span of data a run covers: {@code [start, end)}. The logical date is the start. */
public record DataInterval(Instant start, Instant end) {
}
