package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.enrol.Enrolment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * {@code curfew enroll} and {@code curfew accounts} on the moto server. Moto keeps the accounts apart (credentials of
 * a role assumed into account X act in X's own state), so a student's account is a second account id there. Moto
 * does not enforce trust policies or external ids (its AssumeRole succeeds for any role ARN, existing or not), so a
 * refusal cannot be shown here: what is shown is a deployed role (ok) against none (not deployed).
 */
class EnrolIT extends CurfewRuns {
    static final String SWEEPER = "arn:aws:iam::123456789012:role/curfew-SweeperFunctionRole-ABC";
    Path roster;

    @BeforeEach
    void setUp() throws Exception {
        roster = Files.createTempFile("roster", ".csv");
        Files.writeString(roster, """
                owner,name,email,account
                alice,Alice,alice@example.edu,111111111111
                bob,Bob,bob@example.edu,222222222222
                carol,Carol,carol@example.edu,
                erin,Erin,erin@example.edu,12345
                """);
    }

    @AfterEach
    void tearDown() throws Exception {
        Files.deleteIfExists(roster);
    }

    @Override
    List<String> options() {
        return List.of("--endpoint-url", moto.endpoint(), "--region", EU, "--roster", roster.toString());
    }

    /** What a student's deploy of templates/student-account.yaml leaves in their account: the role. */
    private void deployStudentRole(String account) {
        Credentials c = clients.sts().assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/admin")
                .roleSessionName("student")).credentials();
        try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(URI.create(moto.endpoint()))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(),
                        c.secretAccessKey(), c.sessionToken()))).build()) {
            iam.createRole(b -> b.roleName(Enrolment.ROLE_NAME).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + SWEEPER + "\"},"
                    + "\"Action\":\"sts:AssumeRole\"}]}"));
        }
    }

    @Test
    void enrollPrintsOneCommandWithAStableExternalIdDerivedFromTheInstructorsKey() {
        assertThat(curfew("enroll", "--student", "Alice", "--sweeper-role", SWEEPER)).as(err).isZero();
        String first = out;
        assertThat(err).contains("made the enrolment key ssm:/curfew/enrolment-key")
                .contains("account \"12345\" is not an AWS account id");
        Matcher m = Pattern.compile("ExternalId=(curfew-[0-9a-f]{40}) ").matcher(first);
        assertThat(m.find()).as(first).isTrue();
        String key = clients.ssm(EU).getParameter(b -> b.name("/curfew/enrolment-key").withDecryption(true))
                .parameter().value();
        assertThat(m.group(1)).isEqualTo(Enrolment.externalId(Base64.getDecoder().decode(key), "alice"));
        assertThat(first).contains("aws cloudformation deploy --region eu-west-1 --stack-name curfew-student "
                + "--template-file student-account.yaml --capabilities CAPABILITY_NAMED_IAM --parameter-overrides "
                + "SweeperRoleArn=" + SWEEPER + " ExternalId=" + m.group(1) + " HomeRegion=eu-west-1")
                .contains("AWS account 111111111111");

        assertThat(curfew("enroll", "--student", "alice", "--sweeper-role", SWEEPER)).isZero();
        assertThat(out).as("the same key, the same id").isEqualTo(first);
        assertThat(err).doesNotContain("made the enrolment key");
        assertThat(curfew("enroll", "--student", "bob", "--sweeper-role", SWEEPER)).isZero();
        assertThat(out).doesNotContain(m.group(1)).contains("ExternalId=curfew-");
    }

    @Test
    void aBadStudentOrRoleIsNamedWithExitTwoAndNothingIsMade() {
        assertThat(curfew("enroll", "--student", "dave", "--sweeper-role", SWEEPER)).isEqualTo(2);
        assertThat(err).contains("--student \"dave\" is not in the roster");
        assertThat(curfew("enroll", "--student", "carol", "--sweeper-role", SWEEPER)).isEqualTo(2);
        assertThat(err).contains("\"carol\" has no account");
        assertThat(curfew("enroll", "--student", "erin", "--sweeper-role", SWEEPER)).isEqualTo(2);
        assertThat(err).contains("\"erin\" is not in the roster").contains("account \"12345\"");
        assertThat(curfew("enroll", "--student", "al;ice", "--sweeper-role", SWEEPER)).isEqualTo(2);
        assertThat(err).contains("--student \"al;ice\" is not a roster owner name");
        assertThat(curfew("enroll", "--student", "alice", "--sweeper-role", "arn:aws:iam::123456789012:root"))
                .isEqualTo(2);
        assertThat(err).contains("--sweeper-role \"arn:aws:iam::123456789012:root\" is not an IAM role ARN");
        assertThat(out).isEmpty();
        assertThat(clients.ssm(EU).describeParameters().parameters()).as("no key was made").isEmpty();
        assertThat(curfew("accounts")).isEqualTo(2);
        assertThat(err).contains("no enrolment key at ssm:/curfew/enrolment-key");
    }

    @Test
    void accountsTellsADeployedRoleFromNoneAndKeepsGoing() {
        assertThat(curfew("enroll", "--student", "alice", "--sweeper-role", SWEEPER)).isZero();
        deployStudentRole("111111111111");
        // a role of that name in the instructor's own account is not bob's
        clients.sts(); // the default account is 123456789012
        try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(URI.create(moto.endpoint()))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(moto.settings(EU).credentials()).build()) {
            iam.createRole(b -> b.roleName(Enrolment.ROLE_NAME).assumeRolePolicyDocument("{}"));
        }

        long t0 = System.nanoTime();
        assertThat(curfew("accounts", "--threads", "2")).as(err).isEqualTo(1);
        assertThat(out.lines()).containsExactly(
                "student  account       reach",
                "alice    111111111111  ok",
                "bob      222222222222  not deployed (NoSuchEntity: " + out.lines().filter(l -> l.startsWith("bob"))
                        .findFirst().orElseThrow().replaceFirst(".*NoSuchEntity: ", ""),
                "1 of 2 accounts reachable");
        assertThat(out).contains("curfew-access");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(30_000);

        deployStudentRole("222222222222");
        assertThat(curfew("accounts")).as(out + err).isZero();
        assertThat(out).contains("bob      222222222222  ok").contains("2 of 2 accounts reachable");
    }

    /**
     * {@code accounts --organization}: the unit's member accounts are checked too, each with the external id its
     * StackSet role was deployed with (the Organization's, also for a roster student's account in the unit), and a
     * member no roster row names is listed as such. Moto ignores external ids: the id sent is read off the wire.
     */
    @Test
    void accountsWithAnOrganizationChecksTheUnitsMembersWithTheOrganizationsExternalId() {
        var org = clients.organizations();
        org.createOrganization(b -> b.featureSet(
                software.amazon.awssdk.services.organizations.model.OrganizationFeatureSet.ALL));
        String root = org.listRoots().roots().get(0).id();
        String unit = org.createOrganizationalUnit(b -> b.parentId(root).name("class")).organizationalUnit().id();
        String lab = org.createAccount(b -> b.accountName("lab").email("lab@school.example.edu"))
                .createAccountStatus().accountId();
        org.moveAccount(b -> b.accountId(lab).sourceParentId(root).destinationParentId(unit));
        deployStudentRole(lab);
        deployStudentRole("111111111111");

        assertThat(curfew("enroll", "--student", "alice", "--sweeper-role", SWEEPER)).isZero();
        Matcher a = Pattern.compile("ExternalId=(curfew-[0-9a-f]{40})").matcher(out);
        assertThat(a.find()).as(out).isTrue();
        assertThat(curfew("enroll", "--organization", unit, "--sweeper-role", SWEEPER)).as(err).isZero();
        Matcher o = Pattern.compile("ParameterKey=ExternalId,ParameterValue=(curfew-[0-9a-f]{40})").matcher(out);
        assertThat(o.find()).as(out).isTrue();

        try (var proxy = dev.curfew.aws.testing.FaultProxy.start(moto.endpoint(), 0, 1)) {
            StringWriter ow = new StringWriter();
            StringWriter ew = new StringWriter();
            int code = Main.run(new PrintWriter(ow), new PrintWriter(ew), "accounts", "--organization", unit,
                    "--endpoint-url", proxy.endpoint(), "--region", EU, "--roster", roster.toString());
            out = ow.toString();
            err = ew.toString();
            assertThat(code).as(out + err).isEqualTo(1); // bob has no role
            assertThat(out).contains("alice         111111111111  ok", "(no student)  " + lab + "  ok",
                    "bob           222222222222  not deployed", "2 of 3 accounts reachable");
            java.util.Map<String, String> idByAccount = new java.util.HashMap<>();
            for (var call : proxy.passed()) {
                if (call.operation().equals("AssumeRole")) {
                    idByAccount.put(call.values("RoleArn").get(0).split(":")[4], call.values("ExternalId").get(0));
                }
            }
            assertThat(idByAccount).containsEntry(lab, o.group(1)).containsEntry("111111111111", a.group(1));
        }

        assertThat(curfew("accounts", "--organization", "ou-zzzz-zzzzzzzz")).isEqualTo(1);
        assertThat(err).contains("ou-zzzz-zzzzzzzz").contains("its accounts were not checked");
        assertThat(out).contains("alice    111111111111  ok");
        assertThat(curfew("accounts", "--organization", "school")).isEqualTo(2);
        assertThat(err).contains("--organization \"school\" is not an Organizations unit id");
    }
}
