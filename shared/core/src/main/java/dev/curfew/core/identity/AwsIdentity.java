package dev.curfew.core.identity;

/**
 * What AWS says made a call: the principal's ARN and, from a CloudTrail record, its {@code userIdentity.type} and the
 * ARN of the role behind a role session ({@code userIdentity.sessionContext.sessionIssuer.arn}). Nothing here is
 * trusted as a name until {@link Principals#resolve} says whose it is.
 *
 * @param arn        the caller's ARN ({@code requestContext.authorizer.iam.userArn}, {@code userIdentity.arn})
 * @param type       CloudTrail's {@code userIdentity.type} ({@code IAMUser}, {@code AssumedRole}, ...); null when the
 *                   source has none (the launcher's request context)
 * @param issuerArn  the IAM role's ARN, with its path, behind an assumed-role session; null when unknown
 */
public record AwsIdentity(String arn, String type, String issuerArn) {
    public static AwsIdentity of(String arn) {
        return new AwsIdentity(arn, null, null);
    }
}
