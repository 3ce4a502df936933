package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import java.util.List;

/**
 * Loads the roster the policy names: an S3 object ({@code s3://bucket/key}) or an SSM parameter
 * ({@code ssm:/name}, String or SecureString). A roster that cannot be read is not fatal: it comes back empty,
 * with the reason among its problems, and every message goes to the instructor.
 */
public final class RosterSource {
    public static final List<String> IAM_ACTIONS = List.of("s3:GetObject", "ssm:GetParameter");

    private RosterSource() {
    }

    public static Roster load(String location, AwsClients clients) {
        if (location == null) {
            return Roster.empty(null);
        }
        try {
            if (location.startsWith("s3://")) {
                String rest = location.substring(5);
                int slash = rest.indexOf('/');
                String bucket = rest.substring(0, slash);
                String key = rest.substring(slash + 1);
                String text = clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
                return RosterParser.parse(text, location);
            }
            if (location.startsWith("ssm:")) {
                String name = location.substring(4);
                String text = clients.ssm(clients.settings().homeRegion().id())
                        .getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
                return RosterParser.parse(text, location);
            }
            return Roster.empty("roster " + location + ": not s3://bucket/key or ssm:/name");
        } catch (RuntimeException e) {
            return new Roster(location, java.util.Map.of(), List.of("roster " + location + " could not be read ("
                    + dev.curfew.aws.Errors.describe(e) + "); every message went to the instructor"));
        }
    }
}
