package io.sigkit.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the ordered evidence map of a result: JSON-friendly values only (strings, numbers, booleans, lists, maps).
 * Null values are dropped so that a report never shows a key without a value.
 */
public final class Evidence {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Evidence() {
    }

    public static Evidence of() {
        return new Evidence();
    }

    public static Evidence of(String key, Object value) {
        return new Evidence().put(key, value);
    }

    public Evidence put(String key, Object value) {
        if (value != null) {
            values.put(key, value instanceof List<?> list ? List.copyOf(list) : value);
        }
        return this;
    }

    public Evidence putAll(Map<String, Object> more) {
        more.forEach(this::put);
        return this;
    }

    public Map<String, Object> toMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
