package io.sigkit.archfixture.api;

/** Fixture for {@code CoreArchitectureTests}: a public type added without being put on the allow-list. */
public final class Unlisted {
    private Unlisted() {
    }
}
