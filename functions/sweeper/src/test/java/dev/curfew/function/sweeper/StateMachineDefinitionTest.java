package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.SweepReport;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Walks template.yaml's AccountsStateMachine from StartAt to its end, as Step Functions would, with a small evaluator
 * of the JSONPath the definition uses ({@code $}, {@code $.a.b}, {@code $$.Execution.Id}, {@code $$.Map.Item.Value};
 * Parameters and ItemSelector with {@code .$} keys; ResultPath; Choice on BooleanEquals; Catch; a Distributed Map
 * whose ResultWriter writes the children's results as Step Functions does). Each Task hands its effective input, as
 * the Lambda runtime reads it, to the step's own input reader, and answers with the JSON the step's own builders
 * make, as the runtime writes it: a path that reads a key no step writes, or a step that cannot read what its state
 * gives it, fails here. Unknown fields or path forms fail too, rather than being guessed.
 */
class StateMachineDefinitionTest {
    /** What the Lambda runtime (de)serializes a handler's Map with (micronaut-function-aws's CustomPojoSerializer). */
    static final JsonMapper LAMBDA = JsonMapper.createDefault();
    static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:curfew-accounts:2b1f";
    static final Instant CURFEW = Instant.parse("2026-11-30T18:00:00Z");
    static final AccountTarget HOME = new AccountTarget("123456789012", null, AccountTarget.Source.HOME);
    static final AccountTarget ALICE = new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER);
    static final AccountTarget BOB = new AccountTarget("222222222222", "bob", AccountTarget.Source.ROSTER);

    Map<String, Object> template;
    Map<String, Object> machine;
    Map<String, Object> substitutions;
    /** What the ResultWriter wrote: key -> JSON text. */
    final Map<String, String> s3 = new LinkedHashMap<>();
    final Set<String> visited = new LinkedHashSet<>();
    final List<String> steps = new ArrayList<>();
    /** What the summary step rebuilt. */
    List<AccountRun> summarized;
    /** What the list step read. */
    AccountStepsJson.ListIn listed;
    boolean standAside;
    SweepReport homeReport;
    /** What the summary step read of the budgets (the budget step's answer, with the stops' results). */
    Map<String, Object> summarizedBudgets;
    /** What the summary step rebuilt of the budget stops. */
    List<BudgetStops.Result> summarizedStops;
    /** The budget step crashes (its Catch hands the summary the error); the stops' ItemReader fails. */
    boolean budgetsCrash;
    boolean itemReaderFails;
    /** The budget step answers without {@code stopping} (an answer of another shape). */
    boolean budgetsWithoutStopping;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void read() throws IOException {
        template = TemplateTest.parsed();
        Map<String, Map<String, Object>> machines = TemplateTest.resources("AWS::Serverless::StateMachine");
        assertThat(machines).containsOnlyKeys("AccountsStateMachine");
        Map<String, Object> props = TemplateTest.properties(machines.get("AccountsStateMachine"));
        machine = (Map<String, Object>) props.get("Definition");
        substitutions = (Map<String, Object>) props.get("DefinitionSubstitutions");
        assertThat(machine).as("the definition is in the template (Definition), not a file").isNotNull();
        homeReport = report(HOME.account(), 250);
    }

    // ------------------------------------------------------------------------------------------------ the walks

    @Test
    void aCurfewWalksEveryAccountThroughTheMapToTheSummary() throws Exception {
        Object output = walk(machine, scheduleInput(), context(null));

        assertThat(steps).containsExactly("list", "sweep", "sweep", "sweep", "budgets", "stop", "stop", "summary");
        assertThat(summarized).extracting(r -> r.target().account(), AccountRun::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HOME.account(), AccountRun.Status.SWEPT),
                org.assertj.core.groups.Tuple.tuple(ALICE.account(), AccountRun.Status.UNREACHABLE),
                org.assertj.core.groups.Tuple.tuple(BOB.account(), AccountRun.Status.FAILED));
        AccountRun home = summarized.get(0);
        assertThat(home.target()).isEqualTo(HOME);
        assertThat(home.report().savedPerMonth()).isCloseTo(homeReport.savedPerMonth(),
                org.assertj.core.data.Offset.offset(0.001));
        // what the summary counts: every resource with a finding, an action, a failure, or out of scope
        assertThat(home.report().rows()).hasSize(252).allMatch(AccountStepsJson::counted);
        assertThat(home.report().rows().get(0).outcome()).isEqualTo("failed");
        assertThat(home.report().regionErrors()).isEqualTo(homeReport.regionErrors());
        assertThat(summarized.get(1).target()).isEqualTo(ALICE);
        assertThat(summarized.get(1).error()).contains("AccessDenied");
        // the worker that crashed: its Catch made its row, with the Lambda error's type and message
        assertThat(summarized.get(2).target()).isEqualTo(BOB);
        assertThat(summarized.get(2).error()).isEqualTo("java.lang.IllegalStateException: the policy is gone");
        assertThat(output).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("accounts", 3).containsEntry("curfew", CURFEW.toString());
    }

    /**
     * Each schedule of the state machine (the curfew sweep, the warning, the idle check) starts a walk that reaches
     * the summary with its own pass; the idle check's scheduled time, as Scheduler fills it in, reaches the list step.
     */
    @Test
    void everyScheduleOfTheStateMachineWalksItsPassToTheSummary() throws Exception {
        Map<String, String> passes = new LinkedHashMap<>();
        for (var e : scheduleInputs().entrySet()) {
            steps.clear();
            Object output = walk(machine, e.getValue(), context(null));

            // budgets are weighed (and their stops made) after the curfew pass and the idle check
            assertThat(steps).as(e.getKey()).containsExactly(Stream.concat(Stream.of("list", "sweep", "sweep",
                    "sweep", "budgets"), Stream.concat("warning".equals(listed.pass()) ? Stream.<String>of()
                    : Stream.of("stop", "stop"), Stream.of("summary"))).toArray(String[]::new));
            assertThat(output).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).as(e.getKey())
                    .containsEntry("pass", listed.pass()).containsEntry("accounts", 3);
            passes.put(e.getKey(), listed.pass());
            assertThat(listed.scheduled()).as(e.getKey()).isEqualTo("idle-check".equals(listed.pass())
                    ? SCHEDULED : null);
        }
        assertThat(passes).isEqualTo(Map.of("CurfewSweep", "curfew", "WarningPass", "warning",
                "IdleCheck", "idle-check"));
    }

    /**
     * With StudentAccounts=enrolled each of the sweeper's schedules stands down and the state machine's schedule of
     * the same pass starts it instead, at the same times, with the same retries; with none, the reverse.
     */
    @Test
    @SuppressWarnings("unchecked")
    void eachSweeperScheduleHasAStateMachineTwinForEnrolledAccounts() throws Exception {
        Map<String, Object> sweeperEvents = (Map<String, Object>) TemplateTest.properties(TemplateTest.resources(
                "AWS::Serverless::Function").get("SweeperFunction")).get("Events");
        Map<String, Object> machineEvents = (Map<String, Object>) TemplateTest.properties(TemplateTest.resources(
                "AWS::Serverless::StateMachine").get("AccountsStateMachine")).get("Events");
        assertThat(machineEvents.keySet()).isEqualTo(sweeperEvents.keySet());
        for (String name : sweeperEvents.keySet()) {
            Map<String, Object> sweeper = TemplateTest.properties((Map<String, Object>) sweeperEvents.get(name));
            Map<String, Object> twin = TemplateTest.properties((Map<String, Object>) machineEvents.get(name));
            assertThat(sweeper.get("State")).as(name).isEqualTo(Map.of("Fn::If", List.of("StudentAccountsEnrolled",
                    "DISABLED", "ENABLED")));
            assertThat(twin.get("State")).as(name).isEqualTo(Map.of("Fn::If", List.of("StudentAccountsEnrolled",
                    "ENABLED", "DISABLED")));
            for (String same : List.of("ScheduleExpression", "ScheduleExpressionTimezone", "RetryPolicy",
                    "DeadLetterConfig", "GroupName", "FlexibleTimeWindow")) {
                assertThat(twin.get(same)).as(name + " " + same).isEqualTo(sweeper.get(same));
            }
            String event = String.valueOf(((Map<String, Object>) sweeper.get("Input")).get("Fn::Sub"));
            Map<String, Object> detail = (Map<String, Object>) ((Map<String, Object>) read(event)).get("detail");
            assertThat(((Map<String, Object>) scheduleInputs().get(name)).get("pass")).as(name)
                    .isEqualTo(detail.get("pass"));
        }
    }

    /** A schedule delivered twice: the second execution's list step stands aside, for every pass. */
    @Test
    void aSecondExecutionOfEveryPassStandsAsideBeforeTheMap() throws Exception {
        standAside = true;
        for (Object input : scheduleInputs().values()) {
            steps.clear();
            visited.clear();

            walk(machine, input, context(null));

            assertThat(steps).containsExactly("list");
            assertThat(visited).contains("StoodAside").doesNotContain("SweepEachAccount", "Summarize");
        }
        assertThat(s3).isEmpty();
    }

    @Test
    void aSecondExecutionForTheSameCurfewStandsAsideBeforeTheMap() throws Exception {
        standAside = true;

        walk(machine, scheduleInput(), context(null));

        assertThat(steps).containsExactly("list");
        assertThat(visited).contains("StoodAside").doesNotContain("SweepEachAccount", "Summarize");
        assertThat(s3).isEmpty();
    }

    @Test
    void everyStateIsReachedAndEveryTransitionNamesAState() throws Exception {
        walk(machine, scheduleInput(), context(null));
        standAside = true;
        steps.clear();
        walk(machine, scheduleInput(), context(null));

        Set<String> all = new TreeSet<>();
        collectStates(machine, all);
        assertThat(new TreeSet<>(visited)).isEqualTo(all);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMapIsDistributedBoundedToleratesEveryFailureAndWritesToTheStacksBucket() throws IOException {
        Map<String, Object> map = state(machine, "SweepEachAccount");
        Map<String, Object> processor = (Map<String, Object>) map.get("ItemProcessor");
        assertThat(processor.get("ProcessorConfig")).isEqualTo(Map.of("Mode", "DISTRIBUTED",
                "ExecutionType", "STANDARD"));
        assertThat(map).containsEntry("ToleratedFailurePercentage", 100).containsKey("MaxConcurrencyPath");
        Map<String, Object> writer = (Map<String, Object>) map.get("ResultWriter");
        assertThat(writer.get("Resource")).isEqualTo("arn:aws:states:::s3:putObject");
        String bucket = String.valueOf(((Map<String, Object>) writer.get("Parameters")).get("Bucket"));
        Object bucketRef = substitution(bucket);
        assertThat(bucketRef).isEqualTo(Map.of("Ref", "AccountsResultsBucket"));
        assertThat(TemplateTest.resources("AWS::S3::Bucket")).containsKey("AccountsResultsBucket");
        // the summary step reads only the bucket its function is told, which is this one
        assertThat(functionEnvironment().get("CURFEW_ACCOUNTS_RESULTS_BUCKET")).isEqualTo(bucketRef);
        // the worker's own crash becomes its row; Lambda's transient errors are retried with backoff
        Map<String, Object> worker = state(processor, "SweepAccount");
        assertThat((List<Map<String, Object>>) worker.get("Catch")).singleElement()
                .satisfies(c -> assertThat(c.get("ErrorEquals")).isEqualTo(List.of("States.ALL")));
    }

    /**
     * After the accounts' Map, the budget step weighs the sums and stops nothing; each account's budget stops run in
     * a child execution of their own (a Distributed Map reading the items the budget step wrote, bounded as the
     * sweeps, each crash its own result), and the summary comes after them, reading what each did.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theBudgetStopsRunInABoundedMapOfTheirOwnAfterTheBudgetStepAndBeforeTheSummary() throws Exception {
        walk(machine, scheduleInput(), context(null));

        assertThat(steps.subList(4, steps.size())).containsExactly("budgets", "stop", "stop", "summary");
        assertThat(visited).containsSubsequence("SweepEachAccount", "WeighBudgets", "StopsToMake",
                "StopEachAccount", "StopAccount", "StopFailed", "Summarize");
        assertThat(summarizedBudgets).containsEntry("stopping", true).containsKey("stopped");
        assertThat(summarizedStops).hasSize(2);
        assertThat(summarizedStops.get(0).made()).isTrue();
        assertThat(summarizedStops.get(0).line()).isEqualTo("account " + HOME.account()
                + " ([alice] over budget): stop i-0lab done");
        // the stop that crashed: its Catch made its result, with the Lambda error's type and message
        assertThat(summarizedStops.get(1).target()).isEqualTo(ALICE);
        assertThat(BudgetStops.notMade(summarizedStops)).singleElement().isEqualTo("account " + ALICE.account()
                + " ([alice] over budget): failed: java.lang.IllegalStateException: the stop crashed");

        Map<String, Object> map = state(machine, "StopEachAccount");
        Map<String, Object> processor = (Map<String, Object>) map.get("ItemProcessor");
        assertThat(processor.get("ProcessorConfig")).isEqualTo(Map.of("Mode", "DISTRIBUTED",
                "ExecutionType", "STANDARD"));
        assertThat(map).containsEntry("ToleratedFailurePercentage", 100)
                .containsEntry("MaxConcurrencyPath", state(machine, "SweepEachAccount").get("MaxConcurrencyPath"));
        Map<String, Object> writer = (Map<String, Object>) map.get("ResultWriter");
        assertThat(substitution(String.valueOf(((Map<String, Object>) writer.get("Parameters")).get("Bucket"))))
                .isEqualTo(Map.of("Ref", "AccountsResultsBucket"));
        Map<String, Object> worker = state(processor, "StopAccount");
        assertThat((List<Map<String, Object>>) worker.get("Catch")).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("ErrorEquals", List.of("States.ALL")).containsEntry("Next", "StopFailed"));
        // neither the budget step's failure nor the stops' Map's keeps the summary from going out
        for (String name : List.of("WeighBudgets", "StopEachAccount")) {
            assertThat((List<Map<String, Object>>) state(machine, name).get("Catch")).as(name).singleElement()
                    .satisfies(c -> assertThat(c).containsEntry("ErrorEquals", List.of("States.ALL"))
                            .containsEntry("Next", "Summarize"));
        }
        assertThat(state(machine, "StopEachAccount")).containsEntry("Next", "Summarize");
    }

    /** The budget step crashes (a Lambda timeout, past its retries): the summary still goes out, with its error. */
    @Test
    void aBudgetStepThatFailsStillReachesTheSummaryWithItsError() throws Exception {
        budgetsCrash = true;

        walk(machine, scheduleInput(), context(null));

        assertThat(steps.subList(4, steps.size())).containsExactly("budgets", "summary");
        assertThat(summarizedBudgets).containsEntry("Error", "Sandbox.Timedout");
    }

    /**
     * The budget step answers without {@code stopping}: the Choice after it checks that the field is there (a
     * missing one would be States.Runtime, which no Catch takes: no summary) and goes on to the summary.
     */
    @Test
    void aBudgetAnswerWithoutStoppingGoesToTheSummary() throws Exception {
        budgetsWithoutStopping = true;

        walk(machine, scheduleInput(), context(null));

        assertThat(steps.subList(4, steps.size())).containsExactly("budgets", "summary");
        assertThat(summarizedBudgets).doesNotContainKey("stopping");
    }

    /** The budget step failed partway: its text never says that nobody was recorded or told. */
    @Test
    void aBudgetStepThatFailsSaysSomeMayHaveBeenRecordedOrTold() {
        String text = AccountSteps.failed(new IllegalStateException("SSM throttled after alice was told"));
        assertThat(text).contains("SSM throttled after alice was told").contains("no stop was made")
                .contains("may have been recorded over budget or told").contains("the told records say who")
                .doesNotContain("nobody");
    }

    /** Two execution names that differ only in characters outside [A-Za-z0-9._-] get their own stops' keys. */
    @Test
    void twoExecutionsNeverShareAStopsKey() {
        String a = AccountSteps.stopsKey("arn:aws:states:eu-west-1:123456789012:execution:curfew-accounts:a b");
        String b = AccountSteps.stopsKey("arn:aws:states:eu-west-1:123456789012:execution:curfew-accounts:a+b");
        String c = AccountSteps.stopsKey("arn:aws:states:eu-west-1:123456789012:execution:other-accounts:a_b");
        assertThat(Set.of(a, b, c)).hasSize(3).allSatisfy(k -> assertThat(k).matches("stops/[0-9a-f]{64}\\.json"));
        assertThat(AccountSteps.stopsKey(EXECUTION)).isEqualTo(AccountSteps.stopsKey(EXECUTION));
        assertThat(AccountSteps.answerKey(a)).isEqualTo(a.replace(".json", ".budgets.json"));
    }

    /** The stops' Map cannot read its items: the summary still goes out, and has the Map's error. */
    @Test
    @SuppressWarnings("unchecked")
    void aStopsMapThatFailsStillReachesTheSummaryWithItsError() throws Exception {
        itemReaderFails = true;

        walk(machine, scheduleInput(), context(null));

        assertThat(steps.subList(4, steps.size())).containsExactly("budgets", "summary");
        assertThat(summarizedBudgets).containsEntry("stopping", true).doesNotContainKey("stopped");
        assertThat((Map<String, Object>) summarizedBudgets.get("stopsFailed"))
                .containsEntry("Error", "States.ItemReaderFailed");
    }

    /**
     * The summary's output is the execution's output (at most 256 KB): with 2,000 accounts not reached and 2,000
     * messages it stays small, its counts whole and each list saying how many it leaves out.
     */
    @Test
    void theSummarysOutputStaysSmallForThousandsOfAccountsNotReachedAndMessages() throws Exception {
        List<AccountRun> runs = new ArrayList<>();
        List<dev.curfew.core.notify.Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String owner = "student-with-a-long-name-" + i;
            String account = "%012d".formatted(100000000000L + i);
            runs.add(AccountRun.notSwept(new AccountTarget(account, owner, AccountTarget.Source.ROSTER),
                    AccountRun.Status.FAILED, "unreachable: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/"
                    + "curfew-sweeper/curfew is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::"
                    + account + ":role/curfew-student-access"));
            deliveries.add(new dev.curfew.core.notify.Delivery(owner, "budget-over", "slack", owner
                    + "@students.example.edu", 1, dev.curfew.core.notify.Delivery.Status.SENT, "your spend this week "
                    + "is over your budget: $12.00 of your $10.00; your instances are stopped"));
        }
        Map<String, Object> out = roundTrip(AccountStepsJson.summarized("curfew", Instant.parse(
                "2026-11-30T18:00:00Z"), runs, List.of(), new NotificationReport("curfew", null, 0, List.of(),
                deliveries, List.of(), List.of())));
        assertThat(LAMBDA.writeValueAsBytes(out).length).isLessThan(128 * 1024);
        assertThat(out).containsEntry("accounts", 2000).containsEntry("byStatus", Map.of("FAILED", 2000));
        List<?> notSwept = (List<?>) out.get("notSwept");
        assertThat(notSwept).hasSize(AccountStepsJson.OUTPUT_LINES + 1);
        assertThat(String.valueOf(notSwept.get(AccountStepsJson.OUTPUT_LINES))).startsWith("... and 1800 more");
        @SuppressWarnings("unchecked")
        Map<String, Object> told = (Map<String, Object>) out.get("notifications");
        assertThat((List<?>) told.get("deliveries")).hasSize(AccountStepsJson.OUTPUT_LINES + 1);
        assertThat(told.get("statuses")).isEqualTo(Map.of("sent", 2000));
        // a pass of a class keeps every item
        Map<String, Object> small = AccountStepsJson.summarized("curfew", Instant.parse("2026-11-30T18:00:00Z"),
                runs.subList(0, 3), List.of("p"), new NotificationReport("curfew", null, 0, List.of(),
                        deliveries.subList(0, 3), List.of(), List.of()));
        assertThat((List<?>) small.get("notSwept")).hasSize(3);
    }

    /**
     * The budget step's answer stays small with 2,000 accounts to stop in, 2,000 unreachable accounts' lines and
     * 2,000 messages (the items and the whole answer are in the results bucket, not in the state), and one stop's
     * item with the most owners it may carry stays far under a state's 256 KB.
     */
    @Test
    void theBudgetStepsAnswerAndAStopsItemStaySmallForThousandsOfAccounts() throws Exception {
        List<AccountsWork.Stop> stops = new ArrayList<>();
        List<String> over = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        List<dev.curfew.core.notify.Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String owner = "student-with-a-long-name-" + i;
            String account = "%012d".formatted(100000000000L + i);
            over.add(owner);
            stops.add(new AccountsWork.Stop(new AccountTarget(account, owner, AccountTarget.Source.ROSTER),
                    Map.of(owner, SPENT)));
            partial.add("account " + account + " (student's own account of " + owner + "): unreachable: "
                    + "AccessDenied: User: arn:aws:sts::123456789012:assumed-role/curfew-sweeper/curfew is not "
                    + "authorized to perform: sts:AssumeRole on resource: arn:aws:iam::" + account + ":role/"
                    + "curfew-student-access; its spend is not in the sums");
            deliveries.add(new dev.curfew.core.notify.Delivery(owner, "budget-over", "slack", owner
                    + "@students.example.edu", 1, dev.curfew.core.notify.Delivery.Status.SENT, "your spend this week "
                    + "is over your budget: $12.00 of your $10.00; your instances are stopped"));
        }
        assertThat(partial.get(0).length()).isGreaterThan(300);
        AccountsWork.Budgets budgets = new AccountsWork.Budgets(over, partial, new NotificationReport("curfew",
                null, 0, List.of(), deliveries, List.of(), List.of()), stops);
        String key = AccountSteps.stopsKey(EXECUTION);
        Map<String, Object> answer = roundTrip(AccountStepsJson.weighed(budgets, "bucket", key,
                AccountSteps.answerKey(key)));
        assertThat(LAMBDA.writeValueAsBytes(answer).length).isLessThan(64 * 1024);
        assertThat(answer).containsEntry("counts", Map.of("over", 2000, "partial", 2000, "told", 2000))
                .containsEntry("answer", Map.of("Bucket", "bucket", "Key", AccountSteps.answerKey(key)));
        // the summary's lists, in the execution's output, are cut to a few
        List<Object> cut = AccountStepsJson.capped(partial, AccountSteps.SUMMARY_LINES);
        assertThat(cut).hasSize(AccountSteps.SUMMARY_LINES + 1).startsWith(partial.get(0));
        assertThat(String.valueOf(cut.get(AccountSteps.SUMMARY_LINES))).startsWith("... and 1900 more");
        assertThat(LAMBDA.writeValueAsBytes(cut).length).isLessThan(64 * 1024);
        assertThat(AccountStepsJson.capped(List.of("alice"), 100)).containsExactly("alice");
        // what it leaves out of the state is the whole answer, read back by the summary
        Map<String, Object> whole = roundTrip(AccountStepsJson.budgetsAnswer(budgets));
        assertThat(whole).containsEntry("over", over).containsEntry("partial", partial);
        assertThat(AccountStepsJson.notifications("curfew", whole.get("notifications")).deliveries())
                .isEqualTo(deliveries);

        Map<String, dev.curfew.core.spend.Spend> many = new java.util.TreeMap<>();
        for (int i = 0; i < AwsAccountsWork.STOP_OWNERS; i++) {
            many.put("x".repeat(60) + i, SPENT);
        }
        Map<String, Object> item = roundTrip(AccountStepsJson.stopItem(new AccountsWork.Stop(HOME, many)));
        assertThat(LAMBDA.writeValueAsBytes(item).length).isLessThan(64 * 1024);
        assertThat(AccountStepsJson.stop(item, "stop").over()).hasSize(AwsAccountsWork.STOP_OWNERS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTaskCallsAFunctionOfTheTemplateThroughItsAliasAndRetriesLambdasTransientErrors() throws Exception {
        List<Map<String, Object>> tasks = new ArrayList<>();
        collectTasks(machine, tasks);
        assertThat(tasks).hasSize(5);
        Map<String, Map<String, Object>> functions = TemplateTest.resources("AWS::Serverless::Function");
        for (Map<String, Object> task : tasks) {
            Object ref = substitution(String.valueOf(task.get("Resource")));
            assertThat(ref).isInstanceOf(Map.class);
            String alias = String.valueOf(((Map<String, Object>) ref).get("Ref"));
            assertThat(alias).endsWith("Aliaslive");
            String function = alias.substring(0, alias.length() - "Aliaslive".length());
            assertThat(functions).containsKey(function);
            assertThat(TemplateTest.properties(functions.get(function)).get("Handler"))
                    .isEqualTo(AccountStepsHandler.class.getName());
            List<Map<String, Object>> retry = (List<Map<String, Object>>) task.get("Retry");
            assertThat(retry).anySatisfy(r -> {
                assertThat((List<String>) r.get("ErrorEquals")).contains("Lambda.TooManyRequestsException",
                        "Lambda.ServiceException");
                assertThat(((Number) r.get("BackoffRate")).doubleValue()).isGreaterThan(1);
                assertThat(((Number) r.get("MaxAttempts")).intValue()).isGreaterThan(1);
            });
        }
        // every substitution is used, and every ${...} of the definition is one
        String text = LAMBDA.writeValueAsString(machine);
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        Set<String> used = new TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isEqualTo(new TreeSet<>(substitutions.keySet()));
    }

    @Test
    void aWorkersRowStaysWellUnderTheStateSizeLimit() throws Exception {
        Map<String, Object> row = roundTrip(AccountStepsJson.row(AccountRun.swept(HOME, report(HOME.account(),
                5000)), AccountSteps.where(null, HOME)));
        assertThat(LAMBDA.writeValueAsBytes(row).length).isLessThan(128 * 1024);
        assertThat((List<?>) row.get("rows")).hasSize(AccountStepsJson.MAX_ROWS);
        assertThat(row.get("rowsLeftOut")).isEqualTo(5003 - AccountStepsJson.MAX_ROWS);
    }

    /**
     * With the curfew pass's spend and class-page rows of a class account with 200 students, each running 20 things
     * under long names, the row still stays under the state size limit, and reads back as it was written (the page's
     * entries capped, the rest counted).
     */
    @Test
    void aWorkersRowWithTheClassesFiguresStaysUnderTheStateSizeLimitAndReadsBack() throws Exception {
        String longName = "x".repeat(500);
        List<dev.curfew.core.spend.Spend> spend = new java.util.ArrayList<>();
        List<dev.curfew.core.page.ClassPage.Student> students = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            spend.add(new dev.curfew.core.spend.Spend("student" + i + longName.substring(0, 40),
                    java.time.Instant.parse("2026-11-23T00:00:00Z"), 1.25, 3.5, 2, 4,
                    dev.curfew.core.spend.Spend.Source.ESTIMATE));
            students.add(new dev.curfew.core.page.ClassPage.Student("student" + i, null,
                    java.util.Collections.nCopies(20, new dev.curfew.core.page.ClassPage.Entry(longName, longName,
                            longName, false)), List.of(), List.of(), 1, null, null));
        }
        AccountRun run = AccountRun.swept(HOME, report(HOME.account(), 5000)).withFigures(
                new dev.curfew.core.accounts.AccountFigures(spend, "a note", students));
        Map<String, Object> row = roundTrip(AccountStepsJson.row(run, AccountSteps.where(null, HOME)));

        assertThat(LAMBDA.writeValueAsBytes(row).length).isLessThan(192 * 1024);
        dev.curfew.core.accounts.AccountFigures back = AccountStepsJson.run(row).figures();
        assertThat(back.spend()).isEqualTo(spend);
        assertThat(back.spendNote()).isEqualTo("a note");
        assertThat(back.students()).hasSize(200);
        assertThat(back.students().stream().mapToLong(x -> x.running().size()).sum())
                .isEqualTo(AccountStepsJson.MAX_PAGE_ENTRIES);
        assertThat(back.students().get(7).running()).isEmpty();
        assertThat(back.students().get(7).acted()).singleElement().satisfies(e -> assertThat(e.what())
                .isEqualTo("20 more (the sweep's report has them)"));
    }

    /** Cost Explorer's figures a TARGET carries to its worker; a wrong shape names the field. */
    @Test
    void aTargetsBilledFiguresReadBackAndAWrongShapeNamesTheField() {
        Map<String, Object> target = new LinkedHashMap<>(AccountStepsJson.target(HOME));
        AccountStepsJson.putBilled(target, new dev.curfew.aws.spend.CostExplorerSpend.Answer(Map.of("erin",
                new dev.curfew.core.spend.Billed(1.5, 4.0)), null));
        assertThat(AccountStepsJson.billed(target, "target").billed()).containsExactly(Map.entry("erin",
                new dev.curfew.core.spend.Billed(1.5, 4.0)));
        Map<String, Object> failed = new LinkedHashMap<>(AccountStepsJson.target(HOME));
        AccountStepsJson.putBilled(failed, new dev.curfew.aws.spend.CostExplorerSpend.Answer(Map.of(), "denied"));
        assertThat(AccountStepsJson.billed(failed, "target").error()).isEqualTo("denied");
        assertThat(AccountStepsJson.billed(AccountStepsJson.target(HOME), "target")).isNull();
        target.put("billed", Map.of("erin", Map.of("week", "lots", "total", 4.0)));
        assertThatThrownBy(() -> AccountStepsJson.billed(target, "target"))
                .hasMessageContaining("target.billed.erin.week is lots; expected a number");
        target.put("billed", Map.of("erin", Map.of("week", -1, "total", 4.0)));
        assertThatThrownBy(() -> AccountStepsJson.billed(target, "target"))
                .hasMessageContaining("target.billed.erin: billed cost cannot be negative");
    }

    /** The walk itself fails where Step Functions would: a path to a key the step before did not write. */
    @Test
    void aPathToAKeyNoStepWroteFailsTheWalk() {
        Map<String, Object> broken = new LinkedHashMap<>(machine);
        @SuppressWarnings("unchecked")
        Map<String, Object> states = new LinkedHashMap<>((Map<String, Object>) machine.get("States"));
        Map<String, Object> summarize = new LinkedHashMap<>(state(machine, "Summarize"));
        Map<String, Object> params = new LinkedHashMap<>(params(summarize));
        params.put("curfew.$", "$.curfewInstant");
        summarize.put("Parameters", params);
        states.put("Summarize", summarize);
        broken.put("States", states);

        assertThatThrownBy(() -> walk(broken, scheduleInput(), context(null)))
                .hasMessageContaining("$.curfewInstant");
    }

    // ------------------------------------------------------------------------------------------------ the steps

    /** When the walks' schedules were due: what Scheduler puts for {@code <aws.scheduler.scheduled-time>}. */
    static final Instant SCHEDULED = Instant.parse("2026-11-30T10:00:00Z");

    /** What the curfew's schedule sends. */
    Object scheduleInput() throws IOException {
        return scheduleInputs().get("CurfewSweep");
    }

    /**
     * What each of the AccountsStateMachine's ScheduleV2 events sends, by event name, with Scheduler's context
     * attributes filled in as it does at each invocation.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> scheduleInputs() throws IOException {
        Map<String, Object> props = TemplateTest.properties(TemplateTest.resources("AWS::Serverless::StateMachine")
                .get("AccountsStateMachine"));
        Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) props.get("Events");
        Map<String, Object> inputs = new LinkedHashMap<>();
        events.forEach((name, schedule) -> {
            assertThat(schedule.get("Type")).as(name).isEqualTo("ScheduleV2");
            String input = String.valueOf(((Map<String, Object>) schedule.get("Properties")).get("Input"))
                    .replace("<aws.scheduler.scheduled-time>", SCHEDULED.toString());
            assertThat(input).as(name + ": a context attribute not filled in here").doesNotContain("<aws.");
            inputs.put(name, read(input));
        });
        return inputs;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> functionEnvironment() {
        try {
            Map<String, Object> f = TemplateTest.resources("AWS::Serverless::Function").get("AccountsFunction");
            return (Map<String, Object>) ((Map<String, Object>) TemplateTest.properties(f).get("Environment"))
                    .get("Variables");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static SweepReport report(String account, int findings) {
        List<SweepReport.Row> rows = new ArrayList<>();
        rows.add(new SweepReport.Row("ec2-instance", "i-0healthy", "web", "eu-west-1", "carol", "running",
                "t3.micro", List.of(), "skip", "busy", "none", null, 0.0104));
        rows.add(new SweepReport.Row("ec2-instance", "i-0old", "personal", "eu-west-1", null, "running",
                "t3.micro", List.of(), "skip", "out of scope: launched before enrolment", "none", null, 0.0104));
        rows.add(new SweepReport.Row("ebs-volume", "vol-0broken", "", "us-east-1", "dave", "available", "gp3",
                List.of("unattached for 3 days"), "snapshot-then-delete", "forgotten", "failed", "x".repeat(900),
                0.011));
        for (int i = 0; i < findings; i++) {
            rows.add(new SweepReport.Row("ec2-instance", "i-%017d".formatted(i), "name " + i, "eu-west-1",
                    "student" + (i % 30), "running", "t3.large", List.of("idle: CPU 0.4% for 2h " + "y".repeat(200)),
                    i % 2 == 0 ? "stop" : "terminate", "idle " + "z".repeat(300), "done", "done", 0.0832));
        }
        return new SweepReport("Walk", account, "enforce", CURFEW.plusSeconds(40), 1234, List.of("eu-west-1",
                "us-east-1"), Map.of("ap-south-1", "AccessDenied"), null, new Plan.Breaker(false, findings, 1000),
                rows, Map.of("ec2:DescribeInstances", 3L));
    }

    static final dev.curfew.core.spend.Spend SPENT = new dev.curfew.core.spend.Spend("alice",
            Instant.parse("2026-11-30T00:00:00Z"), 12.0, 12.0, 100, 100, dev.curfew.core.spend.Spend.Source.ESTIMATE);

    /** A step's function: reads its input as the handler does, answers as it does. */
    @SuppressWarnings("unchecked")
    Object invoke(String resource, Object effective) throws Exception {
        assertThat(substitution(resource)).as("Resource " + resource).isEqualTo(Map.of("Ref",
                "AccountsFunctionAliaslive"));
        Map<String, Object> in = roundTrip(effective);
        String step = AccountStepsJson.text(in, "step", "step");
        assertThat(AccountStepsHandler.STEPS).contains(step);
        steps.add(step);
        Map<String, Object> out = switch (step) {
            case "list" -> {
                AccountStepsJson.ListIn l = AccountStepsJson.ListIn.of(in);
                assertThat(l.execution()).isEqualTo(EXECUTION);
                listed = l;
                yield standAside ? AccountStepsJson.stoodAside(l.pass(), CURFEW, "another execution has it")
                        : AccountStepsJson.listed(l.pass(), CURFEW, "Walk", "enforce", 10, List.of(HOME, ALICE, BOB));
            }
            case "sweep" -> {
                AccountStepsJson.SweepIn w = AccountStepsJson.SweepIn.of(in);
                assertThat(w.curfew()).isEqualTo(CURFEW);
                assertThat(w.pass()).isEqualTo(listed.pass());
                if (w.target().equals(BOB)) {
                    throw new TaskFailed("java.lang.IllegalStateException", LAMBDA.writeValueAsString(Map.of(
                            "errorMessage", "the policy is gone", "errorType", "java.lang.IllegalStateException",
                            "stackTrace", List.of("dev.curfew.X.y(X.java:1)"))));
                }
                AccountRun run = w.target().equals(HOME) ? AccountRun.swept(HOME, homeReport)
                        : AccountRun.notSwept(w.target(), AccountRun.Status.UNREACHABLE,
                        "AccessDenied: not authorized to perform sts:AssumeRole");
                yield AccountStepsJson.row(run, AccountSteps.where(null, w.target()));
            }
            case "budgets" -> {
                AccountStepsJson.SummaryIn s = AccountStepsJson.SummaryIn.of(in);
                assertThat(s.listed()).containsExactly(HOME, ALICE, BOB);
                assertThat(s3).as("the Map's manifest").containsKey(s.key());
                assertThat(AccountStepsJson.text(in, "execution", "execution")).isEqualTo(EXECUTION);
                if (budgetsCrash) {
                    throw new TaskFailed("Sandbox.Timedout", "Task timed out after 300.00 seconds");
                }
                if (budgetsWithoutStopping) {
                    yield Map.of("weighed", false, "why", "an answer of another shape");
                }
                if ("warning".equals(s.pass())) {
                    yield AccountStepsJson.notWeighed("why", "budgets are weighed after the curfew pass and the "
                            + "idle check");
                }
                // alice over budget in the class account and in her own: a stop in each
                List<AccountsWork.Stop> stops = List.of(new AccountsWork.Stop(HOME, Map.of("alice", SPENT)),
                        new AccountsWork.Stop(ALICE, Map.of("alice", SPENT)));
                String key = AccountSteps.stopsKey(EXECUTION);
                s3.put(key, LAMBDA.writeValueAsString(stops.stream().map(AccountStepsJson::stopItem).toList()));
                yield AccountStepsJson.weighed(new AccountsWork.Budgets(List.of("alice"), List.of(), new
                        NotificationReport(s.pass(), null, 0, List.of(), List.of(), List.of(), List.of()), stops),
                        "bucket-of-AccountsResultsBucket", key, AccountSteps.answerKey(key));
            }
            case "stop" -> {
                AccountStepsJson.StopIn st = AccountStepsJson.StopIn.of(in);
                assertThat(st.pass()).isEqualTo(listed.pass());
                assertThat(st.curfew()).isEqualTo(CURFEW);
                assertThat(st.stop().over()).containsEntry("alice", SPENT);
                if (st.stop().target().equals(ALICE)) {
                    throw new TaskFailed("java.lang.IllegalStateException", LAMBDA.writeValueAsString(Map.of(
                            "errorMessage", "the stop crashed", "errorType", "java.lang.IllegalStateException")));
                }
                SweepReport stopped = new SweepReport("Walk", HOME.account(), "enforce", CURFEW.plusSeconds(90), 10,
                        List.of("eu-west-1"), Map.of(), null, new Plan.Breaker(false, 1, 1000), List.of(
                        new SweepReport.Row("ec2-instance", "i-0lab", "lab", "eu-west-1", "alice", "running",
                                "t3.micro", List.of("over budget"), "stop", "over budget", "done", null, 0.0104)),
                        Map.of());
                yield AccountStepsJson.stopped(BudgetStops.Result.of(st.stop(), AccountRun.swept(HOME, stopped)));
            }
            case "summary" -> {
                AccountStepsJson.SummaryIn s = AccountStepsJson.SummaryIn.of(in);
                assertThat(s.listed()).containsExactly(HOME, ALICE, BOB);
                assertThat(s.pass()).isEqualTo(listed.pass());
                Map<String, Object> manifest = roundTrip(LAMBDA.readValue(s3.get(s.key()), Map.class));
                summarized = AccountStepsJson.runs(s, manifest, k -> {
                    assertThat(s3).as("results file " + k).containsKey(k);
                    return read(s3.get(k));
                }, text -> roundTrip(read(text)));
                summarizedBudgets = s.budgets();
                Map<String, Object> b = s.budgets();
                if (b != null && b.get("stopped") instanceof Map<?, ?> stopped) {
                    List<AccountsWork.Stop> planned = ((List<Object>) read(s3.get(String.valueOf(((Map<String, Object>)
                            b.get("stops")).get("Key"))))).stream().map(x -> AccountStepsJson.stop(x, "stops[]"))
                            .toList();
                    String key = String.valueOf(((Map<String, Object>) stopped.get("ResultWriterDetails")).get("Key"));
                    summarizedStops = AccountStepsJson.stops(planned, roundTrip(read(s3.get(key))), k -> {
                        assertThat(s3).as("results file " + k).containsKey(k);
                        return read(s3.get(k));
                    }, text -> roundTrip(read(text)));
                }
                yield AccountStepsJson.summarized(s.pass(), s.curfew(), summarized, new NotificationReport(
                        s.pass(), null, 0, List.of(), List.of(), List.of(), List.of()));
            }
            default -> throw new AssertionError(step);
        };
        return roundTrip(out);
    }

    static Object read(String json) {
        try {
            return LAMBDA.readValue(json, Object.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> roundTrip(Object value) {
        try {
            return LAMBDA.readValue(LAMBDA.writeValueAsBytes(value), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a ${Name} of the definition becomes: the DefinitionSubstitutions value. */
    Object substitution(String text) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        assertThat(m.matches()).as(text + " is one substitution").isTrue();
        assertThat(substitutions).containsKey(m.group(1));
        return substitutions.get(m.group(1));
    }

    // ------------------------------------------------------------------------------------------------ the walker

    /** A Task's function failed: its error name and cause, as States gives them to Catch. */
    static final class TaskFailed extends Exception {
        final String error;
        final String cause;

        TaskFailed(String error, String cause) {
            super(error + ": " + cause);
            this.error = error;
            this.cause = cause;
        }
    }

    static final Set<String> KNOWN = Set.of("Type", "Comment", "Next", "End", "Resource", "Parameters", "Retry",
            "Catch", "ResultPath", "Choices", "Default", "ItemsPath", "ItemSelector", "MaxConcurrencyPath",
            "ToleratedFailurePercentage", "ItemProcessor", "ResultWriter", "ItemReader");

    @SuppressWarnings("unchecked")
    static Map<String, Object> state(Map<String, Object> machine, String name) {
        Object s = ((Map<String, Object>) machine.get("States")).get(name);
        assertThat(s).as("state " + name).isNotNull();
        return (Map<String, Object>) s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> params(Map<String, Object> state) {
        return (Map<String, Object>) state.get("Parameters");
    }

    Map<String, Object> context(Object item) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Execution", Map.of("Id", EXECUTION));
        if (item != null) {
            c.put("Map", Map.of("Item", Map.of("Value", item)));
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    Object walk(Map<String, Object> sm, Object input, Map<String, Object> context) throws Exception {
        String name = String.valueOf(sm.get("StartAt"));
        Object data = input;
        for (int hops = 0; hops < 50; hops++) {
            Map<String, Object> st = state(sm, name);
            visited.add(name);
            assertThat(KNOWN).as("fields of " + name).containsAll(st.keySet());
            String type = String.valueOf(st.get("Type"));
            Object out;
            String next = (String) st.get("Next");
            switch (type) {
                case "Task" -> {
                    Object effective = st.containsKey("Parameters") ? build(params(st), data, context) : data;
                    try {
                        out = resultPath(st, data, invoke(String.valueOf(st.get("Resource")), effective));
                    } catch (TaskFailed f) {
                        Map<String, Object> c = catcher(st, f.error);
                        if (c == null) {
                            throw f;
                        }
                        Map<String, Object> error = Map.of("Error", f.error, "Cause", f.cause);
                        out = put(data, String.valueOf(c.get("ResultPath")), error);
                        next = String.valueOf(c.get("Next"));
                    }
                }
                case "Pass" -> out = resultPath(st, data, st.containsKey("Parameters")
                        ? build(params(st), data, context) : data);
                case "Choice" -> {
                    out = data;
                    next = String.valueOf(st.get("Default"));
                    for (Map<String, Object> rule : (List<Map<String, Object>>) st.get("Choices")) {
                        if (matches(rule, data, context)) {
                            next = String.valueOf(rule.get("Next"));
                            break;
                        }
                    }
                }
                case "Succeed" -> {
                    return data;
                }
                case "Map" -> {
                    try {
                        out = resultPath(st, data, map(st, data, context));
                    } catch (TaskFailed f) {
                        Map<String, Object> c = catcher(st, f.error);
                        if (c == null) {
                            throw f;
                        }
                        out = put(data, String.valueOf(c.get("ResultPath")), Map.of("Error", f.error, "Cause",
                                f.cause));
                        next = String.valueOf(c.get("Next"));
                    }
                }
                default -> throw new AssertionError("state type " + type + " is not walked here");
            }
            if (Boolean.TRUE.equals(st.get("End")) && !"Choice".equals(type) && next == null) {
                return out;
            }
            assertThat(next).as("the state after " + name).isNotNull();
            name = next;
            data = out;
        }
        throw new AssertionError("more than 50 states: a loop?");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> catcher(Map<String, Object> st, String error) {
        for (Map<String, Object> c : (List<Map<String, Object>>) st.getOrDefault("Catch", List.of())) {
            List<String> errors = (List<String>) c.get("ErrorEquals");
            if (errors.contains("States.ALL") || errors.contains(error)) {
                return c;
            }
        }
        return null;
    }

    int mapRuns;

    /** A Distributed Map: one child execution per item; the ResultWriter's manifest and files; its output. */
    @SuppressWarnings("unchecked")
    Object map(Map<String, Object> st, Object data, Map<String, Object> context) throws Exception {
        Object items;
        if (st.containsKey("ItemReader")) {
            // an S3 object holding a JSON array, read by the state machine itself
            Map<String, Object> reader = (Map<String, Object>) st.get("ItemReader");
            assertThat(reader.get("Resource")).isEqualTo("arn:aws:states:::s3:getObject");
            assertThat(reader.get("ReaderConfig")).isEqualTo(Map.of("InputType", "JSON"));
            Map<String, Object> at = build((Map<String, Object>) reader.get("Parameters"), data, context);
            assertThat(at).containsOnlyKeys("Bucket", "Key");
            if (itemReaderFails) {
                throw new TaskFailed("States.ItemReaderFailed", "Unable to read the items: Access Denied");
            }
            assertThat(s3).as("items " + at.get("Key")).containsKey(String.valueOf(at.get("Key")));
            items = read(s3.get(String.valueOf(at.get("Key"))));
        } else {
            items = path(String.valueOf(st.get("ItemsPath")), data, context);
        }
        assertThat(items).as("ItemsPath").isInstanceOf(List.class);
        Object concurrency = path(String.valueOf(st.get("MaxConcurrencyPath")), data, context);
        assertThat(concurrency).as("MaxConcurrencyPath").isInstanceOf(Integer.class);
        assertThat((Integer) concurrency).isPositive();
        Map<String, Object> processor = (Map<String, Object>) st.get("ItemProcessor");
        List<Map<String, Object>> succeeded = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        int i = 0;
        for (Object item : (List<Object>) items) {
            Map<String, Object> ctx = context(item);
            Object childInput = build((Map<String, Object>) st.get("ItemSelector"), data, ctx);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ExecutionArn", EXECUTION.replace(":execution:curfew-accounts:", ":execution:curfew-accounts/"
                    + "run:") + "-" + i++);
            entry.put("Input", LAMBDA.writeValueAsString(childInput));
            entry.put("InputDetails", Map.of("Included", true));
            try {
                Object output = walk(processor, childInput, ctx);
                entry.put("Output", LAMBDA.writeValueAsString(output));
                entry.put("OutputDetails", Map.of("Included", true));
                entry.put("Status", "SUCCEEDED");
                succeeded.add(entry);
            } catch (TaskFailed f) {
                entry.put("Error", f.error);
                entry.put("Cause", f.cause);
                entry.put("Status", "FAILED");
                failed.add(entry);
            }
        }
        Map<String, Object> writer = (Map<String, Object>) st.get("ResultWriter");
        Map<String, Object> wp = (Map<String, Object>) writer.get("Parameters");
        String bucket = "bucket-of-" + ((Map<String, Object>) substitution(String.valueOf(wp.get("Bucket"))))
                .get("Ref");
        String prefix = wp.get("Prefix") + "/0b6c3a2e-map-run-" + ++mapRuns + "/";
        Map<String, Object> files = new LinkedHashMap<>();
        for (var e : Map.of("SUCCEEDED", succeeded, "FAILED", failed).entrySet()) {
            List<Map<String, Object>> keys = new ArrayList<>();
            if (!e.getValue().isEmpty()) {
                String key = prefix + e.getKey() + "_0.json";
                s3.put(key, LAMBDA.writeValueAsString(e.getValue()));
                keys.add(Map.of("Key", key, "Size", s3.get(key).getBytes(StandardCharsets.UTF_8).length));
            }
            files.put(e.getKey(), keys);
        }
        files.put("PENDING", List.of());
        s3.put(prefix + "manifest.json", LAMBDA.writeValueAsString(Map.of("DestinationBucket", bucket,
                "MapRunArn", "arn:aws:states:eu-west-1:123456789012:mapRun:curfew-accounts/run:0b6c",
                "ResultFiles", files)));
        return Map.of("MapRunArn", "arn:aws:states:eu-west-1:123456789012:mapRun:curfew-accounts/run:0b6c",
                "ResultWriterDetails", Map.of("Bucket", bucket, "Key", prefix + "manifest.json"));
    }

    /**
     * A Choice rule: {@code Variable} with {@code BooleanEquals} (a missing variable is States.Runtime, which no Catch
     * takes), or {@code And} of such rules and {@code IsPresent} (evaluated in order, as Step Functions does).
     */
    @SuppressWarnings("unchecked")
    boolean matches(Map<String, Object> rule, Object data, Map<String, Object> context) {
        if (rule.containsKey("And")) {
            assertThat(Set.of("And", "Next")).as("choice rule").containsAll(rule.keySet());
            for (Map<String, Object> r : (List<Map<String, Object>>) rule.get("And")) {
                if (!matches(r, data, context)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.containsKey("IsPresent")) {
            assertThat(Set.of("Variable", "IsPresent")).as("choice rule").isEqualTo(rule.keySet());
            boolean present;
            try {
                path(String.valueOf(rule.get("Variable")), data, context);
                present = true;
            } catch (AssertionError e) {
                present = false;
            }
            return present == Boolean.TRUE.equals(rule.get("IsPresent"));
        }
        assertThat(Set.of("Variable", "BooleanEquals", "Next")).as("choice rule").containsAll(rule.keySet());
        Object v = path(String.valueOf(rule.get("Variable")), data, context);
        assertThat(v).as(rule.get("Variable") + " is a boolean").isInstanceOf(Boolean.class);
        return v.equals(rule.get("BooleanEquals"));
    }

    Object resultPath(Map<String, Object> st, Object data, Object result) {
        if (!st.containsKey("ResultPath")) {
            return result;
        }
        return put(data, String.valueOf(st.get("ResultPath")), result);
    }

    @SuppressWarnings("unchecked")
    static Object put(Object data, String path, Object value) {
        assertThat(path).as("ResultPath").matches("\\$(\\.[A-Za-z_][A-Za-z0-9_]*)+");
        assertThat(data).isInstanceOf(Map.class);
        Map<String, Object> copy = roundTrip(data);
        String[] parts = path.substring(2).split("\\.");
        Map<String, Object> at = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        }
        at.put(parts[parts.length - 1], value);
        return copy;
    }

    /** Parameters / ItemSelector: a key ending in .$ takes the value its path selects. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> build(Map<String, Object> template, Object data, Map<String, Object> context) {
        Map<String, Object> out = new LinkedHashMap<>();
        template.forEach((k, v) -> {
            if (k.endsWith(".$")) {
                out.put(k.substring(0, k.length() - 2), path(String.valueOf(v), data, context));
            } else if (v instanceof Map<?, ?> m) {
                out.put(k, build((Map<String, Object>) m, data, context));
            } else {
                assertThat(String.valueOf(v)).as(k + ": no intrinsic functions are walked here")
                        .doesNotStartWith("States.");
                out.put(k, v);
            }
        });
        return out;
    }

    /** $, $.a.b, $$.a.b; a missing key is an error, as in Step Functions. */
    @SuppressWarnings("unchecked")
    static Object path(String path, Object data, Map<String, Object> context) {
        Matcher m = Pattern.compile("(\\$\\$?)((?:\\.[A-Za-z_][A-Za-z0-9_]*)*)").matcher(path);
        if (!m.matches()) {
            throw new AssertionError("path " + path + " is not of the subset walked here");
        }
        Object at = m.group(1).equals("$$") ? context : data;
        if (m.group(2).isEmpty()) {
            return at;
        }
        for (String key : m.group(2).substring(1).split("\\.")) {
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new AssertionError("States.Runtime: the path " + path + " selects nothing in "
                        + abbreviate(at));
            }
            at = ((Map<String, Object>) map).get(key);
        }
        return at;
    }

    static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @SuppressWarnings("unchecked")
    static void collectStates(Map<String, Object> sm, Set<String> out) {
        ((Map<String, Object>) sm.get("States")).forEach((name, s) -> {
            out.add(name);
            Object p = ((Map<String, Object>) s).get("ItemProcessor");
            if (p != null) {
                collectStates((Map<String, Object>) p, out);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static void collectTasks(Map<String, Object> sm, List<Map<String, Object>> out) {
        ((Map<String, Object>) sm.get("States")).values().forEach(s -> {
            Map<String, Object> st = (Map<String, Object>) s;
            if ("Task".equals(st.get("Type"))) {
                out.add(st);
            }
            Object p = st.get("ItemProcessor");
            if (p != null) {
                collectTasks((Map<String, Object>) p, out);
            }
        });
    }
}
