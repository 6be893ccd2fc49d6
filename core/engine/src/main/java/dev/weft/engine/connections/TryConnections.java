package dev.weft.engine.connections;

import dev.weft.api.model.ConnectionUri;
import dev.weft.engine.secrets.SecretMasker;
import dev.weft.engine.template.ConnectionSource;
import dev.weft.spi.Connection;

import java.util.Map;
import java.util.Optional;

/**
 * The connections as one task try reads them (its templates, its code through {@code TaskContext.connection}): the
 * password, its URI-encoded form, and the values under sensitive keys of the extra go into the try's
 * {@link SecretMasker}, so its log shows them as {@value SecretMasker#MASK}, as Airflow masks a connection it loads.
 */
public final class TryConnections implements ConnectionSource {
    private final Connections connections;
    private final SecretMasker masker;

    TryConnections(Connections connections, SecretMasker masker) {
        this.connections = connections;
        this.masker = masker;
    }

    @Override
    public Optional<Connection> connection(String connId) {
        Optional<ConnectionSpec> found = connections.lookup(connId);
        found.ifPresent(this::addSecrets);
        return found.map(ConnectionSpec::toConnection);
    }

    private void addSecrets(ConnectionSpec c) {
        if (c.password() != null) {
            masker.add(c.password());
            masker.add(ConnectionUri.quote(c.password(), false));
        }
        addSensitive(c.extraDejson(), false);
    }

    private void addSensitive(Object value, boolean underSensitiveKey) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> addSensitive(v, underSensitiveKey || connections.isSensitive(String.valueOf(k))));
        } else if (value instanceof Iterable<?> items) {
            items.forEach(v -> addSensitive(v, underSensitiveKey));
        } else if (underSensitiveKey && value != null) {
            masker.add(String.valueOf(value));
        }
    }
}
