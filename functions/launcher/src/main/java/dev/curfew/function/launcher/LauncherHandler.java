package dev.curfew.function.launcher;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.core.launch.Answers;
import dev.curfew.core.launch.HttpAnswer;
import dev.curfew.core.launch.HttpCall;
import dev.curfew.core.launch.Refusal;
import dev.curfew.core.report.Json;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spot launcher behind a Lambda Function URL with IAM auth: Lambda hands over the HTTP request (payload 2.0)
 * with the caller's authenticated IAM identity in {@code requestContext.authorizer.iam}; the answer is an HTTP
 * response. {@code POST /instances} launches, {@code GET /instances} lists, {@code DELETE /instances/{id}}
 * terminates. See {@link dev.curfew.core.launch.Launcher}.
 *
 * <p>A direct invocation ({@code aws lambda invoke}) carries whatever event its caller wrote, identity included:
 * the function cannot tell it from a Function URL request. Who may invoke directly is therefore decided by IAM:
 * the template's student policy allows the Function URL only, and direct invocation is for the instructor.
 */
public class LauncherHandler extends MicronautRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static {
        // the SDK's request path loads on a thread of its own while Micronaut starts (dev.curfew.aws.SdkWarmup)
        dev.curfew.aws.SdkWarmup.start(LaunchService::warmup);
    }

    @Inject
    LaunchService service;

    /** Used by Lambda. */
    public LauncherHandler() {
        super();
    }

    /** Used by tests: an application context built with chosen properties and beans. */
    public LauncherHandler(ApplicationContextBuilder builder) {
        super(builder);
    }

    @Override
    public APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
        HttpCall call = callOf(event);
        HttpAnswer a = call == null ? notAnHttpRequest() : service.handle(call);
        APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
        r.setStatusCode(a.status());
        r.setHeaders(new LinkedHashMap<>(a.headers()));
        r.setBody(a.body());
        r.setIsBase64Encoded(false);
        return r;
    }

    /** The request as the launcher reads it; null when the event is not an HTTP request at all. */
    static HttpCall callOf(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                || event.getRequestContext().getHttp().getMethod() == null) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.IAM iam = ctx.getAuthorizer() == null ? null
                : ctx.getAuthorizer().getIam();
        String path = event.getRawPath() != null ? event.getRawPath() : ctx.getHttp().getPath();
        String domain = ctx.getDomainName();
        return new HttpCall(ctx.getHttp().getMethod(), path, event.getQueryStringParameters(), event.getHeaders(),
                event.getBody(), event.getIsBase64Encoded(), iam == null ? null : iam.getUserArn(),
                iam == null ? null : iam.getAccountId(), ctx.getHttp().getSourceIp(), ctx.getRequestId(),
                domain == null || domain.isBlank() ? null : "https://" + domain);
    }

    static HttpAnswer notAnHttpRequest() {
        Refusal r = new Refusal(400, "not-an-http-request", "the event is not a Function URL request (payload "
                + "format 2.0 with requestContext.http.method); call the launcher's Function URL, or invoke it with "
                + "an event shaped like events/launcher-list.json");
        Map<String, String> headers = Map.of("Content-Type", "application/json");
        return new HttpAnswer(400, headers, Json.write(Answers.refusal(r)) + "\n");
    }
}
