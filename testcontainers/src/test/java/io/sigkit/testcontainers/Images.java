package io.sigkit.testcontainers;

import io.sigkit.testbed.PayloadImages;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The payload images of the tests, built (or found in the cache) once per test JVM. */
final class Images {
    private static final Map<String, String> BUILT = new ConcurrentHashMap<>();

    private Images() {
    }

    static String reference() {
        return BUILT.computeIfAbsent("", k -> PayloadImages.reference(line -> System.err.println(line)));
    }

    static String variant(String name) {
        return BUILT.computeIfAbsent(name, k -> PayloadImages.variant(name, line -> System.err.println(line)));
    }
}
