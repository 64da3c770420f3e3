package io.sigkit.testcontainers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs Podman and the payload images: skipped with the reason where they are missing, failed
 * under {@code CI=true}. The Podman service is started once for the test run (at DOCKER_HOST) and stopped after it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestEngine.class)
@interface RequiresContainerEngine {
}
