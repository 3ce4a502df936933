package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.aws.accounts.OrganizationAccounts;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@code curfew enroll} and {@code curfew accounts}: students' own AWS accounts (README, "Students' own accounts
 * (enrolment)"). Both read the roster's {@code account} column and the instructor's enrolment key, an SSM
 * SecureString in the instructor's account from which each student's external id is derived
 * ({@link Enrolment#externalId}).
 */
public abstract class EnrolCommand implements Callable<Integer> {
    static final String DEFAULT_KEY_PARAMETER = "/curfew/enrolment-key";
    static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    static final Pattern ORGANIZATION_UNIT = Pattern.compile("ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32}");
    /** The launcher function's ARN without alias, as templates/student-account.yaml's LauncherFunctionArn takes it. */
    static final Pattern FUNCTION_ARN = Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[\\w-]+");

    /**
     * The instructor's stack outputs a student's (or the Organization's) stack of templates/student-account.yaml is
     * given: the sweeper's role (always), the sentinel's, the launcher's role and function (each null when not
     * given).
     */
    record Roles(String sweeper, String sentinel, String launcher, String launcherFunction) {
        /** The stack parameters in the template's order, each only when given. */
        java.util.LinkedHashMap<String, String> parameters(String externalId, String home) {
            java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
            out.put("SweeperRoleArn", sweeper);
            if (given(sentinel)) {
                out.put("SentinelRoleArn", sentinel);
            }
            if (given(launcher)) {
                out.put("LauncherRoleArn", launcher);
            }
            if (given(launcherFunction)) {
                out.put("LauncherFunctionArn", launcherFunction);
            }
            out.put("ExternalId", externalId);
            out.put("HomeRegion", home);
            return out;
        }

        /** {@code ParameterKey=K,ParameterValue=V ...} (create-stack, create-stack-set). */
        String asParameters(String externalId, String home) {
            return String.join(" ", parameters(externalId, home).entrySet().stream()
                    .map(e -> "ParameterKey=" + e.getKey() + ",ParameterValue=" + e.getValue()).toList());
        }

        private static boolean given(String v) {
            return v != null && !v.isBlank();
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--roster", paramLabel = "FILE|s3://BUCKET/KEY|ssm:/NAME",
            description = "The roster, with an account column (default: CURFEW_ROSTER).")
    String roster;

    @Option(names = "--key-parameter", paramLabel = "NAME", defaultValue = DEFAULT_KEY_PARAMETER,
            description = "The SSM SecureString holding the enrolment key the external ids are derived from "
                    + "(default: ${DEFAULT-VALUE}).")
    String keyParameter;

    @Mixin
    AwsOptions aws;

    Roster roster(AwsClients clients) {
        String location = roster != null ? roster : System.getenv("CURFEW_ROSTER");
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("no roster: give --roster FILE|s3://BUCKET/KEY|ssm:/NAME or set "
                    + "CURFEW_ROSTER");
        }
        return Rosters.load(location, clients, spec.commandLine().getErr());
    }

    /** The enrolment key; {@code create} makes one (32 random bytes) when there is none yet. */
    byte[] key(AwsClients clients, boolean create) {
        SsmClient ssm = clients.ssm(clients.settings().homeRegion().id());
        String value;
        try {
            value = ssm.getParameter(b -> b.name(keyParameter).withDecryption(true)).parameter().value();
        } catch (ParameterNotFoundException e) {
            if (!create) {
                throw new IllegalArgumentException("no enrolment key at ssm:" + keyParameter + " in "
                        + clients.settings().homeRegion().id() + ": nobody is enrolled yet (./curfew enroll makes "
                        + "it), or give --key-parameter/--region");
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                ssm.putParameter(b -> b.name(keyParameter).type(ParameterType.SECURE_STRING).overwrite(false)
                        .description("Curfew: the key students' external ids are derived from (./curfew enroll)")
                        .value(Base64.getEncoder().encodeToString(fresh)));
                spec.commandLine().getErr().println("curfew: made the enrolment key ssm:" + keyParameter
                        + " (a SecureString; changing it means every student deploys again)");
                return fresh;
            } catch (ParameterAlreadyExistsException raced) {
                value = ssm.getParameter(b -> b.name(keyParameter).withDecryption(true)).parameter().value();
            }
        }
        return Enrolment.decodeKey("ssm:" + keyParameter, value);
    }

    AwsClients clients() {
        return aws.clients();
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Print the one command a student runs in their own AWS account so that Curfew can reach "
                    + "it (the role of templates/student-account.yaml, with their external id); with --organization, "
                    + "the StackSet commands for every account of an Organization unit.")
    public static final class Enroll extends EnrolCommand {
        @Option(names = "--student", paramLabel = "NAME",
                description = "The student's owner name in the roster (their row must have an account).")
        String student;

        @Option(names = "--organization", paramLabel = "OU_ID",
                description = "Instead of --student: print the commands that deploy student-account.yaml to every "
                        + "account of this Organization unit (ou-...) or root (r-...) as a service-managed StackSet, "
                        + "with the Organization's external id (docs/organizations.md).")
        String organization;

        @Option(names = "--sweeper-role", paramLabel = "ARN",
                description = "The sweeper's role: output SweeperRoleArn of Curfew's stack (default: "
                        + "CURFEW_SWEEPER_ROLE_ARN).")
        String sweeperRole;

        @Option(names = "--sentinel-role", paramLabel = "ARN",
                description = "The sentinel's role: output SentinelRoleArn (default: CURFEW_SENTINEL_ROLE_ARN; "
                        + "none if unset).")
        String sentinelRole;

        /** With {@link #launcherFunction}, what lets a student launch spot instances in their own account. */
        @Option(names = "--launcher-role", paramLabel = "ARN", description = "The launcher's role: output "
                + "LauncherRoleArn (default: CURFEW_LAUNCHER_ROLE_ARN; none if unset). Given, the launcher may start "
                + "the student's spot instances in their account.")
        String launcherRole;

        @Option(names = "--launcher-function", paramLabel = "ARN", description = "The launcher function: output "
                + "LauncherFunctionArn (default: CURFEW_LAUNCHER_FUNCTION_ARN; none if unset). Given, the student's "
                + "stack makes the policy their users attach to call the launcher's URL.")
        String launcherFunction;

        @Option(names = "--template-url", paramLabel = "HTTPS_URL",
                description = "Where student-account.yaml is published (S3); the student then needs no file. "
                        + "Without it the command deploys the file student-account.yaml you hand out.")
        String templateUrl;

        @Override
        public Integer call() {
            if ((student == null) == (organization == null)) {
                throw new IllegalArgumentException("give either --student NAME (a student's own account) or "
                        + "--organization OU_ID (every account of an Organization unit), not " + (student == null
                        ? "neither" : "both"));
            }
            if (organization != null && !ORGANIZATION_UNIT.matcher(organization).matches()) {
                throw new IllegalArgumentException("--organization \"" + organization + "\" is not an Organizations "
                        + "unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)");
            }
            String sweeper = sweeperRole != null ? sweeperRole : System.getenv("CURFEW_SWEEPER_ROLE_ARN");
            String sentinel = sentinelRole != null ? sentinelRole : System.getenv("CURFEW_SENTINEL_ROLE_ARN");
            if (sweeper == null || !ROLE_ARN.matcher(sweeper).matches()) {
                throw new IllegalArgumentException("--sweeper-role \"" + sweeper + "\" is not an IAM role ARN: give "
                        + "the output SweeperRoleArn of Curfew's stack");
            }
            if (sentinel != null && !sentinel.isBlank() && !ROLE_ARN.matcher(sentinel).matches()) {
                throw new IllegalArgumentException("--sentinel-role \"" + sentinel + "\" is not an IAM role ARN: "
                        + "give the output SentinelRoleArn of Curfew's stack");
            }
            String launcher = launcherRole != null ? launcherRole : System.getenv("CURFEW_LAUNCHER_ROLE_ARN");
            String function = launcherFunction != null ? launcherFunction
                    : System.getenv("CURFEW_LAUNCHER_FUNCTION_ARN");
            if (launcher != null && !launcher.isBlank() && !ROLE_ARN.matcher(launcher).matches()) {
                throw new IllegalArgumentException("--launcher-role \"" + launcher + "\" is not an IAM role ARN: "
                        + "give the output LauncherRoleArn of Curfew's stack");
            }
            if (function != null && !function.isBlank() && !FUNCTION_ARN.matcher(function).matches()) {
                throw new IllegalArgumentException("--launcher-function \"" + function + "\" is not a Lambda function "
                        + "ARN (without alias): give the output LauncherFunctionArn of Curfew's stack");
            }
            Roles roles = new Roles(sweeper, sentinel, launcher, function);
            if (templateUrl != null && !templateUrl.matches("https://[\\w.-]+/[\\w./+=-]+\\.ya?ml")) {
                throw new IllegalArgumentException("--template-url \"" + templateUrl + "\" is not an https URL of "
                        + "a .yaml file");
            }
            try (AwsClients clients = clients()) {
                String home = clients.settings().homeRegion().id();
                if (!REGION.matcher(home).matches()) {
                    throw new IllegalArgumentException("--region \"" + home + "\" is not a region name");
                }
                PrintWriter out = spec.commandLine().getOut();
                if (organization != null) {
                    String id = Enrolment.externalId(key(clients, true), AccountSessions.ORGANIZATION_SUBJECT);
                    out.println(organizationCommands(organization, id, roles, home, templateUrl));
                    return 0;
                }
                Roster r = roster(clients);
                Contact c = Enrolment.student(r, student);
                String id = Enrolment.externalId(key(clients, true), c.owner());
                out.println(command(c, id, roles, home, templateUrl));
                spec.commandLine().getErr().println(admit(Enrolment.enrolled(r), roles));
                return 0;
            }
        }

        /**
         * For the instructor (on stderr, apart from the student's command): the stack update that lets the default
         * event bus admit the events of every account the roster names, so that they reach the sentinel.
         */
        static String admit(List<Contact> enrolled) {
            return "curfew: and admit their events on Curfew's event bus (instructor, once per new account): sam deploy "
                    + "--parameter-overrides StudentAccountIds=" + String.join(",", enrolled.stream()
                    .map(Contact::account).distinct().toList());
        }

        /**
         * As {@link #admit(List)}; StudentAccountIds admits the same accounts to the launcher's Function URL, which
         * this says when the launcher's role is given, and that the student's command leaves the launcher out when
         * it is not.
         */
        static String admit(List<Contact> enrolled, Roles roles) {
            String ids = String.join(",", enrolled.stream().map(Contact::account).distinct().toList());
            if (Roles.given(roles.launcher())) {
                return "curfew: and admit their events on Curfew's event bus and their calls to the launcher's "
                        + "Function URL (instructor, once per new account): sam deploy --parameter-overrides "
                        + "StudentAccountIds=" + ids;
            }
            return admit(enrolled) + "\ncurfew: the command leaves out the launcher: give --launcher-role "
                    + "(output LauncherRoleArn) and --launcher-function (output LauncherFunctionArn) for a student "
                    + "who launches spot instances in their own account";
        }

        /** The command the student runs, every value filled in. */
        static String command(Contact c, String externalId, String sweeper, String sentinel, String home,
                              String templateUrl) {
            return command(c, externalId, new Roles(sweeper, sentinel, null, null), home, templateUrl);
        }

        /**
         * The command the student runs, every value filled in; with the launcher's function, the line that lets
         * their user call the launcher's URL (the policy the stack made, attached to the signed-in user).
         */
        static String command(Contact c, String externalId, Roles roles, String home, String templateUrl) {
            String header = "# " + c.name() + " (" + c.owner() + "), AWS account " + c.account()
                    + ": run this once, signed in to that account (AWS CloudShell will do)\n";
            String deploy;
            if (templateUrl == null) {
                deploy = "aws cloudformation deploy --region " + home + " --stack-name "
                        + Enrolment.STACK_NAME + " --template-file student-account.yaml --capabilities "
                        + "CAPABILITY_NAMED_IAM --parameter-overrides " + String.join(" ", roles.parameters(
                        externalId, home).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            } else {
                deploy = "aws cloudformation create-stack --region " + home + " --stack-name "
                        + Enrolment.STACK_NAME + " --template-url " + templateUrl + " --capabilities "
                        + "CAPABILITY_NAMED_IAM --parameters " + roles.asParameters(externalId, home);
            }
            if (!Roles.given(roles.launcherFunction())) {
                return header + deploy;
            }
            return header + deploy + "\n# then, to call the launcher from this account, signed in as your IAM user: "
                    + "attach the stack's caller policy to that user and allow spot once (README, \"Launch a spot "
                    + "instance\")\n"
                    + "aws iam attach-user-policy --user-name \"$(aws sts get-caller-identity --query Arn --output "
                    + "text | sed 's|.*/||')\" --policy-arn \"$(aws cloudformation "
                    + "describe-stacks --region " + home + " --stack-name " + Enrolment.STACK_NAME + " --query "
                    + "\"Stacks[0].Outputs[?OutputKey=='LauncherCallerPolicyArn'].OutputValue\" --output text)\"\n"
                    + "aws iam create-service-linked-role --aws-service-name spot.amazonaws.com   # \"exists already\" "
                    + "is fine";
        }
    }

    /**
     * The commands that deploy student-account.yaml to every account of an Organization unit as a service-managed
     * StackSet (docs/organizations.md), every value filled in. One region only: the role is global, so a second
     * region's stack would fail on its name.
     */
    static String organizationCommands(String unit, String externalId, String sweeper, String sentinel, String home,
                                       String templateUrl) {
        return organizationCommands(unit, externalId, new Roles(sweeper, sentinel, null, null), home, templateUrl);
    }

    /** As above, with the launcher's role and function when given (members then launch in their own account). */
    static String organizationCommands(String unit, String externalId, Roles roles, String home,
                                       String templateUrl) {
        return "# Organization unit " + unit + ": run these once in the Organization's management account (from a "
                + "delegated administrator, add --call-as DELEGATED_ADMIN to both)\n"
                + "aws cloudformation create-stack-set --region " + home + " --stack-set-name " + Enrolment.STACK_NAME
                + (templateUrl == null ? " --template-body file://student-account.yaml" : " --template-url "
                + templateUrl)
                + " --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,RetainStacksOnAccountRemoval="
                + "false --capabilities CAPABILITY_NAMED_IAM --parameters " + roles.asParameters(externalId, home)
                + "\n"
                + "aws cloudformation create-stack-instances --region " + home + " --stack-set-name "
                + Enrolment.STACK_NAME + " --deployment-targets OrganizationalUnitIds=" + unit + " --regions " + home;
    }

    @Command(name = "accounts", mixinStandardHelpOptions = true,
            description = "For each student with an account in the roster: can Curfew reach it? (assume its role "
                    + "with the student's external id). Exit 0 when every one is reachable, 1 otherwise.")
    public static final class Accounts extends EnrolCommand {
        @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
                description = "Accounts checked at once, 1 to 64 (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--organization", paramLabel = "OU_ID",
                description = "Also check every ACTIVE account of this Organization unit (ou-...) or root (r-...), "
                        + "with the Organization's external id (the StackSet's); run it where Curfew runs (the "
                        + "management account or a delegated administrator).")
        String organization;

        @Override
        public Integer call() {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("--threads " + threads + " is not between 1 and 64");
            }
            if (organization != null && !ORGANIZATION_UNIT.matcher(organization).matches()) {
                throw new IllegalArgumentException("--organization \"" + organization + "\" is not an Organizations "
                        + "unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)");
            }
            try (AwsClients clients = clients()) {
                Roster students = roster(clients);
                PrintWriter out = spec.commandLine().getOut();
                java.util.Map<String, AccountTarget> targets = new java.util.LinkedHashMap<>();
                for (Contact c : Enrolment.enrolled(students)) {
                    targets.put(c.account(), new AccountTarget(c.account(), c.owner(), AccountTarget.Source.ROSTER));
                }
                boolean unlisted = false;
                if (organization != null) {
                    try {
                        // a roster account in the unit has the StackSet's role: checked with the Organization's id
                        for (AccountTarget t : new OrganizationAccounts(clients).targets(organization, students,
                                clients.sts().getCallerIdentity().account())) {
                            targets.put(t.account(), t);
                        }
                    } catch (OrganizationAccounts.UnitException e) {
                        unlisted = true;
                        spec.commandLine().getErr().println("curfew: " + e.getMessage()
                                + ": its accounts were not checked");
                    }
                }
                if (targets.isEmpty()) {
                    out.println(organization == null ? "no student in the roster has an account"
                            : "no student in the roster has an account, and the unit has no active account");
                    return unlisted ? 1 : 0;
                }
                List<AccountReach.Reach> reach = AccountReach.check(clients, List.copyOf(targets.values()),
                        key(clients, false), threads);
                int w = Math.max(7, reach.stream().mapToInt(r -> r.owner().length()).max().orElse(7));
                out.println(String.format("%-" + w + "s  %-12s  %s", "student", "account", "reach"));
                for (AccountReach.Reach r : reach) {
                    out.println(String.format("%-" + w + "s  %-12s  %s", r.owner(), r.account(), r.line()));
                }
                long ok = reach.stream().filter(r -> r.status() == AccountReach.Status.OK).count();
                out.println(ok + " of " + reach.size() + " accounts reachable");
                return ok == reach.size() && !unlisted ? 0 : 1;
            }
        }
    }
}
