package io.sigkit.junit;

import io.sigkit.bus.SignalResult;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import io.sigkit.transport.PayloadConnection;
import org.assertj.core.api.Assertions;

/**
 * The one entry point for sigkit's AssertJ assertions. It extends AssertJ's {@link Assertions}, so one static import
 * serves both:
 *
 * <pre>{@code
 * import static io.sigkit.junit.SigkitAssertions.assertThat;
 *
 * assertThat(bus.configure(window)).succeededWithin(Duration.ofSeconds(15));
 * assertThat(payload).hasExecutable("/usr/bin/payload_exec");
 * assertThat(result).isConformant();
 * assertThat(result).hasResult("SIG-CONF-002").withOutcome(Outcome.PASS);
 * assertThat(window.id()).isPositive();   // AssertJ's own
 * }</pre>
 */
public class SigkitAssertions extends Assertions {

    /** Only static methods; subclassable, as AssertJ's entry points are, to combine with other entry points. */
    protected SigkitAssertions() {
    }

    /**
     * Assertions on a signal's outcome.
     *
     * @param actual what the bus's signal did
     * @return the assertions
     */
    public static SignalResultAssert assertThat(SignalResult actual) {
        return new SignalResultAssert(actual);
    }

    /**
     * Assertions on the payload behind a connection.
     *
     * @param actual the connection
     * @return the assertions
     */
    public static PayloadConnectionAssert assertThat(PayloadConnection actual) {
        return new PayloadConnectionAssert(actual);
    }

    /**
     * Assertions on a certification run.
     *
     * @param actual the run
     * @return the assertions
     */
    public static RunResultAssert assertThat(RunResult actual) {
        return new RunResultAssert(actual);
    }

    /**
     * Assertions on one requirement's result.
     *
     * @param actual the result
     * @return the assertions
     */
    public static RequirementResultAssert assertThat(RequirementResult actual) {
        return new RequirementResultAssert(actual);
    }
}
