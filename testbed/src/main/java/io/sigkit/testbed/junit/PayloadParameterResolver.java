package io.sigkit.testbed.junit;

import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.TestbedException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Backs {@link Payload}: starts the declared payload, keeps it in the test's store, which closes it after the test. */
final class PayloadParameterResolver implements ParameterResolver, ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PayloadParameterResolver.class);

    private final RequiresTestbedCondition condition = new RequiresTestbedCondition();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return condition.evaluateExecutionCondition(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(Payload.class)
                && parameterContext.getParameter().getType() == RunningPayload.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Payload declared = parameterContext.findAnnotation(Payload.class)
                .orElseThrow(() -> new ParameterResolutionException("no @Payload on " + parameterContext));
        PayloadSpec spec = spec(declared);
        RunningPayload payload;
        try {
            payload = Testbed.start(spec);
        } catch (TestbedException e) {
            throw new ParameterResolutionException("cannot start the payload for parameter "
                    + parameterContext.getIndex() + " of " + extensionContext.getDisplayName() + ": "
                    + e.getMessage(), e);
        }
        // AutoCloseable values are closed by JUnit when the test's context closes, after the test.
        extensionContext.getStore(NAMESPACE).put("payload-" + parameterContext.getIndex(), payload);
        return payload;
    }

    static PayloadSpec spec(Payload declared) {
        PayloadSpec spec = PayloadSpec.reference()
                .withShell(declared.shell())
                .withServer(declared.server())
                .withSudo(declared.sudo())
                .withUser(declared.user());
        if (!declared.sftp()) {
            spec = spec.withoutSftp();
        }
        if (!declared.variant().isEmpty()) {
            spec = spec.withVariant(declared.variant());
        }
        if (declared.netns()) {
            spec = spec.withNetns();
        }
        return spec;
    }
}
