package dev.weft.engine.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets seen by one task try (or one response), and their replacement by {@value #MASK} in text. Thread-safe:
 * a try's code may log from several threads while it reads more secrets.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not collected: masking every {@code "1"} or {@code "no"}
 * would garble the log and tell more than it hides (Airflow ignores short values too).
 */
public final class SecretMasker {
    public static final String MASK = "***";
    static final int MIN_LENGTH = 5;

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    // Longest first, so a secret that contains another is masked whole; rebuilt when a secret is added.
    private volatile List<String> ordered = List.of();

    /** Adds a secret (and, for a multi-line value, each of its lines long enough, as logs print them line by line). */
    public void add(String secret) {
        if (secret == null) {
            return;
        }
        boolean changed = addOne(secret);
        if (secret.contains("\n")) {
            for (String line : secret.split("\\R")) {
                changed |= addOne(line.strip());
            }
        }
        if (changed) {
            List<String> sorted = new ArrayList<>(secrets);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            ordered = List.copyOf(sorted);
        }
    }

    /** Adds every string in a JSON-like value (a string, or the strings of a map's values or a list, deeply). */
    public void addStrings(Object json) {
        if (json instanceof String s) {
            add(s);
        } else if (json instanceof Map<?, ?> map) {
            map.values().forEach(this::addStrings);
        } else if (json instanceof Iterable<?> items) {
            items.forEach(this::addStrings);
        }
    }

    /**
     * Adds the strings of the params a task type names sensitive ({@code TaskTypeFactory.sensitiveParams()}), as
     * rendered for a try: masked in its log and its pages from then on.
     */
    public void addParams(Set<String> sensitive, Map<String, Object> params) {
        for (String name : sensitive) {
            addStrings(params.get(name));
        }
    }

    private boolean addOne(String secret) {
        return secret.length() >= MIN_LENGTH && secrets.add(secret);
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** {@code text} with every collected secret replaced by {@value #MASK}. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : ordered) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /**
     * The collected secrets that occur in a JSON-like value, where {@link #mask(Object)} would mask them (its strings,
     * map keys included), sorted: what a stored value must remember to be shown masked later.
     */
    public Set<String> secretsIn(Object json) {
        List<String> texts = new ArrayList<>();
        collectTexts(json, texts);
        Set<String> found = new TreeSet<>();
        for (String secret : ordered) {
            if (texts.stream().anyMatch(t -> t.contains(secret))) {
                found.add(secret);
            }
        }
        return found;
    }

    private static void collectTexts(Object json, List<String> into) {
        if (json instanceof String s) {
            into.add(s);
        } else if (json instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                collectTexts(k, into);
                collectTexts(v, into);
            });
        } else if (json instanceof Iterable<?> items) {
            items.forEach(v -> collectTexts(v, into));
        }
    }

    /** {@link #mask(Object)} of each value of a map, keys kept. */
    public Map<String, Object> maskMap(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, mask(v)));
        return out;
    }

    /** The same masking inside a JSON-like value: strings in maps and lists (keys included); other values as they are. */
    public Object mask(Object value) {
        if (value instanceof String s) {
            return mask(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(mask(k), mask(v)));
            return out;
        }
        if (value instanceof Iterable<?> items) {
            List<Object> out = new ArrayList<>();
            items.forEach(v -> out.add(mask(v)));
            return out;
        }
        return value;
    }
}
