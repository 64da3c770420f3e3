package io.sigkit.testbed.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that need the testbed (root on Linux, the apt packages of testbed/README.md). Where it cannot run,
 * they are skipped with the reason on a developer's machine, but FAIL when the environment variable {@code CI} is
 * {@code true}: CI never silently skips them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RequiresTestbedCondition.class)
public @interface RequiresTestbed {
}
