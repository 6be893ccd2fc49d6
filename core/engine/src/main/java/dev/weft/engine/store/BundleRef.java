package dev.weft.engine.store;

/**
 * One version of a DAG bundle jar: its name (its path in the DAGs folder, e.g. {@code team/acme-dags.jar}) and its
 * version, the SHA-256 of its bytes in hex.
 */
public record BundleRef(String name, String version) {
    /** The version as messages show it: its first 12 hex digits. */
    public String shortVersion() {
        return version.length() > 12 ? version.substring(0, 12) : version;
    }

    @Override
    public String toString() {
        return "bundle " + name + " version " + shortVersion();
    }
}
