package io.sigkit.archfixture.cycle.ping;

import io.sigkit.archfixture.cycle.pong.Pong;

/** Fixture for {@code CoreArchitectureTests}: half of a deliberate package cycle (ping → pong → ping). */
public final class Ping {
    private Ping() {
    }

    public static int serve(int n) {
        return n <= 0 ? 0 : Pong.answer(n - 1);
    }
}
