package io.sigkit.cli;

import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a display's permanent output back until the kit has logged in: when it cannot (unreachable, host key, login
 * refused), the command ends with one error line and nothing else, not a screen of requirements blocked by the
 * failed login. Recognises the failed login by the first result, SIG-ENV-002, carrying the transport failure's
 * {@code kind} in its evidence (as conformance-core records it).
 */
final class ConnectionGate extends Progress {
    static final String FIRST_CHECK = "SIG-ENV-002";

    private enum State { CONNECTING, OPEN, FAILED }

    private final Progress delegate;
    private final List<Runnable> held = new ArrayList<>();
    private State state = State.CONNECTING;

    ConnectionGate(Progress delegate) {
        this.delegate = delegate;
    }

    /** Drops everything from now on (the command is being interrupted: what follows would be noise). */
    synchronized void silence() {
        state = State.FAILED;
        held.clear();
    }

    /** Whether the run was found unable to log in (its output was then dropped). */
    synchronized boolean loginFailed() {
        return state == State.FAILED;
    }

    @Override
    public synchronized void runStarted(String target, int requirements) {
        pass(() -> delegate.runStarted(target, requirements));
    }

    @Override
    public synchronized void step(String description) {
        if (state == State.CONNECTING && delegate.stepsAreTransient()) {
            delegate.step(description);
        } else {
            pass(() -> delegate.step(description));
        }
    }

    @Override
    public synchronized void requirementFinished(RequirementResult result, Duration elapsed) {
        if (state == State.CONNECTING) {
            if (result.id().equals(FIRST_CHECK) && result.evidence().containsKey("kind")) {
                state = State.FAILED;
                held.clear();
                return;
            }
            state = State.OPEN;
            held.forEach(Runnable::run);
            held.clear();
        }
        pass(() -> delegate.requirementFinished(result, elapsed));
    }

    @Override
    public synchronized void runFinished(RunResult result) {
        pass(() -> delegate.runFinished(result));
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void pass(Runnable event) {
        switch (state) {
            case CONNECTING -> held.add(event);
            case OPEN -> event.run();
            case FAILED -> { }
        }
    }
}
