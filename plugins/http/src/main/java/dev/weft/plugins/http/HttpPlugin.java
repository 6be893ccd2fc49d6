package dev.weft.plugins.http;

import dev.weft.spi.NotifierFactory;
import dev.weft.spi.OperatorFactory;
import dev.weft.spi.Plugin;
import dev.weft.spi.SensorFactory;

import java.util.List;

/**
 * Calls HTTP endpoints with the JDK's {@link java.net.http.HttpClient}: {@code http.sensor} waits for an endpoint to
 * answer as expected (Airflow's HttpSensor) and {@code http.operator} sends one request and keeps the response
 * (Airflow's HttpOperator); {@code http.webhook} notifies a Slack-compatible webhook from a callback. Installed by
 * copying its jar into {@code WEFT_HOME/plugins/http/}; it depends on nothing but the SPI and the JDK.
 */
public final class HttpPlugin implements Plugin {
    @Override
    public String name() {
        return "http";
    }

    @Override
    public List<OperatorFactory<?>> operators() {
        return List.of(new HttpOperatorFactory());
    }

    @Override
    public List<SensorFactory<?>> sensors() {
        return List.of(new HttpSensorFactory());
    }

    @Override
    public List<NotifierFactory<?>> notifiers() {
        return List.of(new WebhookNotifierFactory());
    }
}
