package io.sigkit.testcontainers;

import io.sigkit.testbed.PayloadImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Backs {@link RequiresContainerEngine}: checks that images can be built and containers run here, and starts the
 * Podman API service at DOCKER_HOST (set by the build) once for the whole test run, stopped with JUnit's root store.
 */
final class TestEngine implements ExecutionCondition, BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestEngine.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = unavailableReason();
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("podman and the payload images can be used here");
        }
        if ("true".equalsIgnoreCase(Optional.ofNullable(System.getenv("CI")).orElse("").strip())) {
            throw new ExtensionConfigurationException("containers cannot run here, and CI=true forbids skipping "
                    + context.getDisplayName() + ": " + reason);
        }
        return ConditionEvaluationResult.disabled("containers cannot run here: " + reason
                + " (with CI=true this is a failure)");
    }

    static String unavailableReason() {
        String images = PayloadImages.unavailableReason();
        if (!images.isEmpty()) {
            return images;
        }
        String host = System.getenv("DOCKER_HOST");
        if (host == null || !host.startsWith("unix://")) {
            return "DOCKER_HOST is not a unix socket (the build sets it to the test's own Podman service)";
        }
        return "";
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Service.class, k -> Service.start(), Service.class);
    }

    /** The Podman service of this test run, if this run started it. */
    static Optional<PodmanService> service(ExtensionContext context) {
        Service s = context.getRoot().getStore(NAMESPACE).get(Service.class, Service.class);
        return s == null ? Optional.empty() : Optional.ofNullable(s.started);
    }

    /** The test run's service: started unless one already answers at DOCKER_HOST. */
    static final class Service implements AutoCloseable {
        final PodmanService started;

        private Service(PodmanService started) {
            this.started = started;
        }

        static Service start() {
            Path socket = Path.of(System.getenv("DOCKER_HOST").substring("unix://".length()));
            if (PodmanService.answers(socket)) {
                return new Service(null);
            }
            return new Service(PodmanService.start(socket, Duration.ofSeconds(30)));
        }

        @Override
        public void close() {
            if (started != null) {
                started.close();
            }
        }
    }
}
