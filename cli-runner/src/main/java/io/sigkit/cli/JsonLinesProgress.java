package io.sigkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import io.sigkit.text.SafeJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * Progress for automation: one JSON object per line (on stderr, so stdout keeps only the report). Events:
 * {@code run-started}, {@code step}, {@code requirement}, {@code run-finished}; each has {@code event},
 * {@code time} (ISO-8601) and {@code elapsedMillis}.
 */
final class JsonLinesProgress extends Progress {
    private static final JsonMapper JSON = JsonMapper.builder(SafeJson.factory()).build();

    private final PrintWriter out;

    JsonLinesProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void runStarted(String target, int requirements) {
        ObjectNode e = event("run-started");
        e.put("target", target);
        e.put("requirements", requirements);
        emit(e);
    }

    @Override
    public synchronized void step(String description) {
        ObjectNode e = event("step");
        e.put("description", description);
        emit(e);
    }

    @Override
    public synchronized void requirementFinished(RequirementResult r, Duration elapsed) {
        ObjectNode e = event("requirement");
                e.put("id", r.id());
        e.put("level", r.level().name());
        e.put("title", r.title());
        e.put("outcome", r.outcome().name());
        e.put("message", r.message());
        if (!r.warnings().isEmpty()) {
            r.warnings().forEach(e.putArray("warnings")::add);
        }
        emit(e);
    }

    @Override
    public synchronized void runFinished(RunResult result) {
        ObjectNode e = event("run-finished");
        e.put("verdict", result.verdict().name());
        e.put("durationMillis", result.duration().toMillis());
        e.put("sessionsOpened", result.sessionsOpened());
        e.put("execRequests", result.execRequests());
        emit(e);
    }

    private ObjectNode event(String name) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("event", name);
        e.put("time", Instant.now().toString());
        e.put("elapsedMillis", elapsed().toMillis());
        return e;
    }

    private void emit(ObjectNode e) {
        try {
            out.println(JSON.writeValueAsString(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write a progress event", ex);
        }
        out.flush();
    }
}
