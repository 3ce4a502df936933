package dev.curfew.function.common;

import io.micronaut.context.ApplicationContextBuilder;

/**
 * How every Curfew handler's application context starts in Lambda. micronaut-function-aws's builder initialises every
 * singleton and every configuration bean at start (its HTTP, SSL, serde and executor configurations included), which
 * none of these functions uses: that is over a quarter of the context's start on a plain JVM. Here only what the
 * handler injects is built (its service, with the SDK clients and the SnapStart priming hook), as in the tests'
 * contexts; SnapStart's priming then loads the rest an invocation needs before the snapshot.
 */
public final class LambdaContexts {
    private LambdaContexts() {
    }

    /** Lambda's builder, initialising beans when they are first needed. */
    public static ApplicationContextBuilder lazy(ApplicationContextBuilder lambdaBuilder) {
        return lambdaBuilder.eagerInitSingletons(false).eagerInitConfiguration(false);
    }
}
