package com.example.weft;

import dev.weft.spi.InvalidParamsException;
import dev.weft.spi.IsoDates;
import dev.weft.spi.PluginContext;
import dev.weft.spi.PokeResult;
import dev.weft.spi.Sensor;
import dev.weft.spi.SensorFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code template.wait_until}: ready once the engine's clock reaches {@code target_time} (Airflow's DateTimeSensor),
 * e.g. {@code "{{ data_interval_end }}"}. A sensor answers once and never sleeps: the engine pokes again.
 */
public final class WaitUntilSensorFactory implements SensorFactory<WaitUntilSensorFactory.Params> {

    public record Params(String targetTime) {
        public Params {
            if (targetTime == null || targetTime.isBlank()) {
                throw new InvalidParamsException("target_time", "is required: an ISO-8601 date-time");
            }
        }

        Instant target() {
            try {
                return IsoDates.parse(targetTime);
            } catch (DateTimeParseException e) {
                throw new InvalidParamsException("target_time", "is not an ISO-8601 date-time: '" + targetTime + "'");
            }
        }
    }

    @Override
    public String typeId() {
        return "template.wait_until";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Sensor<Params> create(PluginContext context) {
        return (params, ctx) -> {
            Instant target = params.target();
            Instant now = ctx.clock().instant();   // the engine's clock, never the system's: tests control time
            if (!now.isBefore(target)) {
                return PokeResult.ready();
            }
            // Ask to be poked when it is time; the engine still applies poke_interval limits and the timeout.
            return PokeResult.notYet(Duration.between(now, target), "waiting until " + IsoDates.isoformat(target));
        };
    }
}
