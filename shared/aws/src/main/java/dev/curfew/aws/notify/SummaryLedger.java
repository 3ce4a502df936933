package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Which curfew the instructor's summary was last sent for: an SSM parameter of the stack's own
 * ({@code /curfew/<stack>/last-summary}), so that a repeated curfew event (EventBridge delivers at least once)
 * does not send a second summary. Read and written only in enforce mode: a dry run changes nothing in AWS.
 */
public final class SummaryLedger {
    public static final List<String> IAM_ACTIONS = List.of("ssm:GetParameter", "ssm:PutParameter");

    private final AwsClients clients;
    private final String name;

    public SummaryLedger(AwsClients clients, String name) {
        this.clients = clients;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The curfew the summary was last sent for, or null (never, or the parameter is gone). */
    public String last() {
        try {
            return clients.ssm(clients.settings().homeRegion().id()).getParameter(b -> b.name(name)).parameter()
                    .value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    public void record(String curfew) {
        clients.ssm(clients.settings().homeRegion().id()).putParameter(b -> b.name(name).value(curfew)
                .type(ParameterType.STRING).overwrite(true));
    }

    static String why(RuntimeException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
