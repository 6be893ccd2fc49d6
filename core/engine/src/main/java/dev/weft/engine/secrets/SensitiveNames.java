package dev.weft.engine.secrets;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which names (of variables, of connection extras, of fields) hold secrets: a name is sensitive when it contains one
 * of the words, ignoring case, as Airflow's {@code DEFAULT_SENSITIVE_FIELDS} plus {@code sensitive_var_conn_names}.
 */
public final class SensitiveNames {
    /** Airflow's {@code DEFAULT_SENSITIVE_FIELDS}. */
    public static final Set<String> DEFAULT_WORDS = Set.of("access_token", "api_key", "apikey", "authorization",
            "passphrase", "passwd", "password", "private_key", "secret", "token", "keyfile_dict", "service_account");
    public static final SensitiveNames DEFAULT = new SensitiveNames(Set.of());

    private final Set<String> words;

    /** The default words and {@code extra} ones (blank entries are ignored). */
    public SensitiveNames(Collection<String> extra) {
        Set<String> all = new TreeSet<>(DEFAULT_WORDS);
        for (String word : extra) {
            if (!word.isBlank()) {
                all.add(word.strip().toLowerCase(Locale.ROOT));
            }
        }
        this.words = Set.copyOf(all);
    }

    public boolean isSensitive(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String word : words) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** The words, sorted: what the documentation and error messages can list. */
    public Set<String> words() {
        return new TreeSet<>(words);
    }
}
