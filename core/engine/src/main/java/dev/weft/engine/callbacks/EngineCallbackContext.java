package dev.weft.engine.callbacks;

import dev.weft.engine.store.CallbackRequest;
import dev.weft.engine.store.RunRecord;
import dev.weft.spi.CallbackContext;
import dev.weft.spi.RunType;
import org.slf4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What the engine hands a callback: the request it runs for, and the run's record. */
record EngineCallbackContext(CallbackRequest request, RunRecord run, Logger log, Clock clock)
        implements CallbackContext {
    @Override
    public String event() {
        return request.event().wireName();
    }

    @Override
    public String dagId() {
        return request.dagId();
    }

    @Override
    public String runId() {
        return request.runId();
    }

    @Override
    public RunType runType() {
        return run.runType();
    }

    @Override
    public Instant logicalDate() {
        return run.logicalDate();
    }

    @Override
    public Map<String, Object> conf() {
        return run.conf();
    }

    @Override
    public Optional<String> taskId() {
        return Optional.ofNullable(request.taskId());
    }

    @Override
    public int tryNumber() {
        return request.tryNumber();
    }

    @Override
    public String state() {
        return request.state();
    }

    @Override
    public Optional<String> exception() {
        return Optional.ofNullable(request.error());
    }
}
