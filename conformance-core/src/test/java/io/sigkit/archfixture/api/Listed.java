package io.sigkit.archfixture.api;

/** Fixture for {@code CoreArchitectureTests}: a public type that is on the fixture's allow-list. */
public final class Listed {
    private Listed() {
    }

    /** A public nested type: on the fixture's allow-list too. */
    public record Value(int n) {
    }

    /** Package-private: never part of the API, never on an allow-list. */
    static final class Hidden {
    }
}
