package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsSettings;
import picocli.CommandLine.Option;

/** Where a command's AWS calls go: {@code --endpoint-url} and {@code --region}, shared by the commands that call AWS. */
final class AwsOptions {
    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send AWS calls here (an emulator); default AWS_ENDPOINT_URL, else AWS itself.")
    String endpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The home region: Curfew's stack's (its SSM records, the enrolment key), where STS and "
                    + "DescribeRegions are asked; default AWS_REGION, else us-east-1.")
    String region;

    /** The clients of these options (the caller closes them). */
    AwsClients clients() {
        return new AwsClients(AwsSettings.fromEnvironment(endpoint, region));
    }
}
