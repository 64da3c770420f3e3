package io.sigkit.archfixture.cycle.pong;

import io.sigkit.archfixture.cycle.ping.Ping;

/** Fixture for {@code CoreArchitectureTests}: the other half of a deliberate package cycle (pong → ping). */
public final class Pong {
    private Pong() {
    }

    public static int answer(int n) {
        return n <= 0 ? 1 : Ping.serve(n - 1);
    }
}
